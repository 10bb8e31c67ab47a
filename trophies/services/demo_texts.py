"""Demo stage: hand-written French e-health fragments combined by `demo_content`; stdlib only.

Each theme holds a pool of company names, target audiences and a few coherent "angles"
(title, one-line hook, pitch, problem, solution). Placeholders filled by `demo_content`:
`{name}` (company name) in pitches and solutions; `{region}`, `{Region}`, `{de_city}`,
`{partner}`, `{n}`, `{months}`, `{since}`, `{k}`, `{users}`, `{pop}` in the generic sentences,
and `{de_city}` in a theme's partners.
Never write "de {name}" in a fragment (no elision is applied to company names).

The scoring grids of both rounds and the four hand-written dossiers that carry the demo's
conflicts of interest live here too, so that `demo_content` keeps only short data and logic.
Prose stays one fragment per line, hence the file-wide E501 exemption.
"""

# ruff: noqa: E501

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Angle:
    """One coherent project idea inside a theme."""

    title: str
    hook: str  # first sentence of the summary: the problem in one line
    pitch: str  # second sentence of the summary: "{name} ..."
    problem: str
    solution: str
    target: int  # index into Theme.targets
    users: str  # plural noun for the people reached: "patients", "établissements", ...
    medical_device: bool
    health_data: bool


@dataclass(frozen=True)
class Theme:
    key: str
    categories: tuple[str, ...]  # most likely category first
    odd: tuple[str, ...]  # UN sustainable development goals, codes of the "odd" question
    partners: tuple[str, ...]  # who runs the pilot with the startup; may use {de_city}
    names: tuple[str, ...]
    targets: tuple[str, ...]
    angles: tuple[Angle, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        key="telesurveillance",
        categories=("souverainete", "equite", "durabilite"),
        odd=("odd3",),
        partners=(
            "le service de cardiologie d’un centre hospitalier voisin",
            "la CPTS du bassin de vie {de_city}",
            "deux maisons de santé pluriprofessionnelles de la région",
        ),
        names=(
            "Vigicardia", "Suivéo", "Pulsalis", "Respiréa", "Glycovie", "Télévigie Santé",
            "Oxalien",
        ),
        targets=(
            "Adultes atteints d’insuffisance cardiaque, de diabète de type 2 ou de BPCO, en particulier les personnes de plus de 70 ans vivant seules ou loin d’un centre hospitalier. Les utilisateurs professionnels sont les infirmières de coordination, les médecins traitants et les services de cardiologie ou de pneumologie qui prescrivent la télésurveillance.",
            "Patients sortant d’hospitalisation pour une décompensation cardiaque ou respiratoire, et leurs aidants. Côté soignants, la solution s’adresse aux équipes hospitalières de sortie, aux infirmiers libéraux et aux médecins généralistes, qui reçoivent des synthèses lisibles plutôt que des courbes brutes.",
        ),
        angles=(
            Angle(
                title="Télésurveillance des maladies chroniques à domicile, sans smartphone",
                hook="Les décompensations de maladies chroniques sont souvent repérées trop tard, faute de suivi entre deux consultations.",
                pitch="{name} relie les mesures faites à domicile (poids, tension, saturation) à une infirmière de coordination qui agit avant l’hospitalisation.",
                problem="L’insuffisance cardiaque, le diabète et la BPCO concernent plusieurs millions de personnes en France. Entre deux consultations, les signes de dégradation (prise de poids rapide, essoufflement, glycémies instables) passent souvent inaperçus. Les patients arrivent alors aux urgences en situation de décompensation, avec des hospitalisations longues et coûteuses qui auraient pu être évitées par un suivi plus rapproché.",
                solution="{name} fournit au patient une balance, un tensiomètre et un oxymètre connectés en Bluetooth à une petite box 4G, sans smartphone ni configuration. Les mesures sont analysées chaque jour par des règles cliniques validées avec des cardiologues ; seules les situations à risque déclenchent une alerte, priorisée, vers l’infirmière de coordination. Celle-ci rappelle le patient, ajuste le suivi avec le médecin traitant et trace l’échange dans le dossier.",
                target=0,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Six mois de suivi rapproché après une hospitalisation pour décompensation",
                hook="Après une hospitalisation, de nombreux patients chroniques rentrent chez eux sans suivi rapproché et sont réhospitalisés dans les semaines qui suivent.",
                pitch="{name} organise un programme de télésurveillance de six mois après la sortie, porté par une infirmière de coordination.",
                problem="Après une hospitalisation pour une décompensation, près d’un patient sur quatre est réhospitalisé dans les trois mois. Le retour à domicile est un moment fragile : traitements modifiés, rendez-vous de suivi éloignés, médecin traitant parfois mal informé. Les équipes hospitalières n’ont ni le temps ni les outils pour suivre chaque patient une fois sorti.",
                solution="{name} organise un programme de télésurveillance de six mois après la sortie d’hospitalisation : appel de l’infirmière à J+2, mesures quotidiennes, éducation thérapeutique en vidéos courtes et alertes graduées. Le protocole suit le cadre de la prise en charge de droit commun de la télésurveillance, ce qui permet aux établissements de financer le dispositif sans subvention.",
                target=1,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Une télésurveillance qui n’épuise pas les équipes soignantes",
                hook="Les dispositifs de télésurveillance produisent souvent tant d’alertes que les équipes ne peuvent plus les traiter.",
                pitch="{name} classe les patients télésurveillés en trois niveaux de risque grâce à un score simple et explicable, pour que les soignants se concentrent sur ceux qui en ont besoin.",
                problem="Les dispositifs de télésurveillance existants sont souvent pensés pour des patients technophiles et génèrent un volume d’alertes que les équipes ne peuvent pas absorber. Résultat : des infirmières submergées de faux positifs, des patients qui abandonnent leurs mesures au bout de quelques semaines, et des données qui ne servent à personne.",
                solution="La plateforme {name} combine un questionnaire quotidien de trois questions, accessible par SMS ou serveur vocal, et les mesures des objets connectés déjà utilisés par le patient. Un score de risque simple, explicable et paramétrable par l’équipe soignante, classe les patients en trois niveaux. Le tableau de bord s’intègre au logiciel métier de l’établissement et envoie un compte rendu hebdomadaire au médecin traitant.",
                target=0,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Suivi connecté du diabète de type 2 en soins primaires",
                hook="Plus de quatre millions de personnes vivent avec un diabète de type 2, et beaucoup ne voient leur médecin que quelques fois par an.",
                pitch="{name} permet à l’infirmier en pratique avancée et au médecin traitant de suivre à distance les glycémies et le poids des patients diabétiques, avec un accompagnement entre les consultations.",
                problem="Le diabète de type 2 concerne plus de quatre millions de personnes en France, et son suivi repose presque entièrement sur le médecin traitant, qui manque de temps. Entre deux consultations espacées de plusieurs mois, les patients restent seuls avec leurs glycémies, leurs doutes sur le traitement et leurs difficultés à changer d’alimentation. Les complications (reins, yeux, pieds) apparaissent alors que le déséquilibre aurait pu être corrigé des années plus tôt.",
                solution="{name} récupère automatiquement les mesures du lecteur de glycémie et de la balance du patient, et les présente à l’infirmier en pratique avancée de la maison de santé sous forme d’une synthèse mensuelle. Le patient reçoit des conseils personnalisés par SMS et peut poser ses questions à l’infirmier par messagerie sécurisée. Les patients dont l’équilibre se dégrade sont signalés au médecin traitant avant la consultation suivante, avec une proposition d’ajustement.",
                target=0,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="sante_mentale",
        categories=("equite", "souverainete", "durabilite"),
        odd=("odd3", "odd10"),
        partners=(
            "le service de santé étudiante de l’université {de_city}",
            "un centre médico-psychologique du département",
            "la maison des adolescents {de_city}",
        ),
        names=(
            "Apaisia", "Boussole Psy", "Esprit Libre Santé", "Halte Écoute", "Psyvia", "Ancrage",
            "Mentalia Jeunes",
        ),
        targets=(
            "Jeunes de 15 à 25 ans, lycéens, étudiants, apprentis ou sans emploi, en particulier ceux qui vivent loin des grandes villes. La solution s’adresse aussi aux professionnels qui les repèrent : médecins généralistes, infirmières scolaires, services de santé étudiante et missions locales.",
            "Adultes présentant des symptômes anxieux ou dépressifs légers à modérés, orientés par leur médecin traitant ou venant d’eux-mêmes. Les soignants des établissements de santé et médico-sociaux forment un second public, avec un programme dédié à la prévention de l’épuisement professionnel.",
        ),
        angles=(
            Angle(
                title="Un premier soutien psychologique en moins de 72 heures pour les 15-25 ans",
                hook="Les délais pour obtenir un rendez-vous en centre médico-psychologique dépassent souvent plusieurs mois, alors que la souffrance psychique des jeunes progresse.",
                pitch="{name} propose un premier entretien avec un psychologue en moins de 72 heures, puis un parcours gradué vers le bon niveau de soin.",
                problem="Depuis 2020, les consultations pour anxiété, dépression et idées suicidaires chez les 15-25 ans ont fortement augmenté. Dans de nombreux départements, le délai pour un premier rendez-vous en centre médico-psychologique dépasse trois mois. Pendant cette attente, la situation s’aggrave, et une partie des jeunes n’arrive jamais jusqu’au soin.",
                solution="{name} propose un premier échange en visio ou par téléphone avec un psychologue clinicien dans les 72 heures, sans avance de frais. À l’issue de cet entretien, la personne est orientée vers le niveau de soin adapté : séances de psychologue remboursées, groupe de parole, programme en ligne ou, en cas de risque, consultation psychiatrique rapide grâce à des créneaux réservés avec les secteurs partenaires.",
                target=0,
                users="jeunes",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Thérapie cognitive et comportementale en ligne, accompagnée par des psychologues",
                hook="Beaucoup de personnes en souffrance psychique ne consultent jamais, par crainte du regard des autres ou faute d’interlocuteur.",
                pitch="{name} combine un programme de thérapie cognitive et comportementale en ligne et un suivi humain hebdomadaire par des psychologues.",
                problem="La santé mentale reste entourée de tabous. Les personnes qui vont mal cherchent d’abord de l’aide sur internet, où elles trouvent des contenus de qualité très inégale, parfois dangereux. Les médecins généralistes, en première ligne, manquent de solutions à proposer entre la simple écoute et l’orientation vers la psychiatrie, déjà saturée.",
                solution="Le programme {name} comprend huit modules de thérapie cognitive et comportementale validés, de quinze minutes chacun, accompagnés d’un point hebdomadaire avec un psychologue. Les exercices fonctionnent hors connexion et ne nécessitent pas de compte nominatif. Un protocole de sécurité détecte les signaux de crise et déclenche un rappel humain dans l’heure, avec le numéro national de prévention du suicide toujours visible.",
                target=1,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Prévenir l’épuisement professionnel des soignants",
                hook="Arrêts de travail, départs de la profession, postes vacants : l’épuisement des soignants fragilise la qualité des soins.",
                pitch="{name} met à disposition des établissements un espace d’écoute anonyme pour les soignants, ouvert le soir et le week-end.",
                problem="Les soignants eux-mêmes sont épuisés : arrêts de travail, départs de la profession, postes vacants. Les dispositifs de soutien existants sont peu connus, rarement anonymes, et mal adaptés aux horaires de nuit ou de week-end. L’épuisement professionnel des équipes fragilise directement la qualité et la sécurité des soins.",
                solution="{name} met à disposition des établissements un espace d’écoute anonyme pour les soignants, ouvert le soir et le week-end, animé par des psychologues formés aux spécificités du travail hospitalier. Des ateliers courts de gestion du stress sont proposés sur le temps de travail, et un indicateur anonymisé aide la direction à repérer les services en tension sans jamais identifier les personnes.",
                target=1,
                users="soignants",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Un soutien psychologique pour les agriculteurs et les habitants des zones rurales",
                hook="Dans le monde agricole, la souffrance psychique reste taboue et les psychologues sont souvent à plus d’une heure de route.",
                pitch="{name} propose aux agriculteurs et aux habitants des zones rurales un soutien psychologique par téléphone et en visio, relié aux acteurs locaux de prévention.",
                problem="Les agriculteurs présentent un risque suicidaire nettement supérieur à celui de la population générale, et les habitants des zones rurales ont un accès très limité aux psychologues et aux psychiatres. La crainte du regard des voisins, la charge de travail et l’éloignement retardent le moment où l’on demande de l’aide. Les dispositifs existants sont mal connus et rarement adaptés aux horaires du travail agricole.",
                solution="{name} offre un premier échange avec un psychologue par téléphone ou en visio, le soir et le week-end, sans avance de frais, puis un suivi de six séances si nécessaire. Les psychologues sont formés aux réalités du métier agricole et travaillent avec les sentinelles locales (vétérinaires, conseillers agricoles, élus) qui orientent les personnes en difficulté. Les situations de crise sont transmises sans délai au centre de crise du département.",
                target=1,
                users="personnes",
                medical_device=False,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="prevention",
        categories=("equite", "durabilite", "souverainete"),
        odd=("odd3", "odd10"),
        partners=(
            "un groupement de pharmacies d’officine",
            "le centre régional de coordination des dépistages",
            "les centres sociaux {de_city}",
        ),
        names=(
            "Prévenea", "Cœur Vaillant", "Sentinelle Santé", "Préviva", "Vigie Prévention",
            "Bilan Futé", "Dépistéo",
        ),
        targets=(
            "Adultes de 40 à 75 ans sans suivi médical régulier, en priorité les habitants des quartiers prioritaires de la politique de la ville et des zones rurales. Les pharmaciens, infirmiers en pratique avancée, médiateurs en santé et médecins généralistes sont les utilisateurs professionnels.",
            "Personnes concernées par les rendez-vous de prévention aux âges clés de la vie et par les dépistages organisés, ainsi que les centres régionaux de coordination des dépistages et les collectivités qui financent des actions de prévention.",
        ),
        angles=(
            Angle(
                title="Dépistage des facteurs de risque cardiovasculaire en pharmacie et dans les lieux du quotidien",
                hook="L’hypertension, le diabète et le cholestérol restent longtemps silencieux, et les personnes les plus exposées sont celles qui consultent le moins.",
                pitch="{name} organise des bilans de prévention de quinze minutes en officine et dans les lieux du quotidien, puis oriente chaque personne à risque vers un médecin du territoire.",
                problem="L’hypertension artérielle touche un adulte sur trois, et près de la moitié des personnes concernées l’ignorent. Le diabète de type 2 et l’hypercholestérolémie suivent le même schéma : des années sans symptômes, puis un infarctus ou un AVC. Les personnes éloignées du soin, qui n’ont pas de médecin traitant ou ne consultent qu’en cas d’urgence, échappent à tous les dispositifs de repérage.",
                solution="{name} équipe les pharmacies et les lieux de proximité (centres sociaux, marchés, entreprises) d’un parcours de bilan en quinze minutes : questionnaire validé, mesure de la tension, glycémie capillaire, calcul du risque cardiovasculaire. Les résultats sont expliqués sur place avec des supports visuels, et les personnes à risque reçoivent un rendez-vous avec un médecin du territoire grâce à des créneaux réservés avec les maisons de santé partenaires.",
                target=0,
                users="personnes",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Lever les freins au dépistage organisé du cancer colorectal",
                hook="La participation au dépistage organisé du cancer colorectal reste très inférieure à l’objectif européen, surtout dans les quartiers populaires.",
                pitch="{name} remplace le courrier d’invitation unique par une séquence de messages en langage clair et des rappels humains.",
                problem="La participation au dépistage organisé du cancer colorectal plafonne autour de 35 %, loin de l’objectif européen de 45 %. Les courriers d’invitation standardisés sont peu lus, les kits sont oubliés, et les écarts de participation entre quartiers favorisés et défavorisés dépassent quinze points. Chaque année, des cancers sont diagnostiqués à un stade avancé alors qu’ils auraient pu être traités tôt.",
                solution="La solution {name} remplace le courrier unique par une séquence d’invitations adaptée à chaque personne : SMS, courrier en langage clair, appel d’une médiatrice en santé pour les non-répondants. Les messages sont co-écrits avec des habitants et testés auprès de publics peu à l’aise avec l’écrit. Un tableau de bord permet au centre régional de coordination des dépistages de suivre la participation par quartier.",
                target=1,
                users="personnes",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Préparer et faire vivre les rendez-vous de prévention aux âges clés",
                hook="Les rendez-vous de prévention aux âges clés de la vie existent, mais peu de personnes s’en saisissent et leurs recommandations restent souvent lettre morte.",
                pitch="{name} aide chaque personne à préparer son rendez-vous de prévention, puis l’accompagne pendant six mois avec des ressources locales.",
                problem="Les rendez-vous de prévention aux âges clés de la vie ont été créés pour repérer tôt les facteurs de risque, mais leur contenu reste mal connu du public comme des professionnels. Sans outil simple pour préparer la consultation et suivre les recommandations qui en sortent, ces rendez-vous risquent de rester une formalité sans effet sur la santé des personnes.",
                solution="{name} propose un questionnaire préparatoire en ligne ou sur papier, rempli avant le rendez-vous de prévention, qui fait ressortir les priorités de la personne (activité physique, alimentation, sommeil, addictions, santé mentale). Le professionnel dispose d’une synthèse d’une page et d’un plan d’action construit avec la personne, qui reçoit ensuite des rappels et des ressources locales pendant six mois.",
                target=1,
                users="personnes",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Repérer la fragilité des plus de 60 ans pour prévenir la perte d’autonomie",
                hook="Chaque année, des milliers de personnes âgées perdent leur autonomie à la suite d’une chute, d’une dénutrition ou d’un isolement qui auraient pu être repérés.",
                pitch="{name} organise un repérage annuel de la fragilité des plus de 60 ans, mené par des professionnels de proximité, et un plan de prévention personnalisé.",
                problem="La fragilité des personnes âgées (perte de force, dénutrition, isolement, troubles de l’équilibre) est réversible si elle est repérée tôt. Pourtant, le repérage reste rare en dehors de l’hôpital : les médecins traitants manquent de temps, et les personnes concernées ne consultent qu’une fois la chute ou l’hospitalisation survenue. Chaque perte d’autonomie évitable coûte cher aux familles comme à la collectivité.",
                solution="{name} forme les pharmaciens, les infirmiers libéraux et les aides à domicile à un repérage de la fragilité en dix minutes, à partir d’outils validés par des gériatres. Les résultats alimentent un plan de prévention personnalisé : ateliers d’équilibre, bilan nutritionnel, visites de convivialité, adaptation du logement. Le médecin traitant reçoit une synthèse, et les situations à risque sont orientées vers une évaluation gériatrique.",
                target=1,
                users="personnes",
                medical_device=False,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="deserts_medicaux",
        categories=("equite", "durabilite", "souverainete"),
        odd=("odd3", "odd10", "odd11"),
        partners=(
            "une communauté de communes rurale du département",
            "la CPTS du bassin de vie {de_city}",
            "trois communes sans médecin du département",
        ),
        names=(
            "Médibus", "Proxisanté", "Ruralis Médecine", "Village Santé", "Cabine Santé Locale",
            "Télésoin Rural", "Tournée Santé",
        ),
        targets=(
            "Habitants des communes rurales et des petites villes classées en zone d’intervention prioritaire, notamment les personnes âgées, les patients sans médecin traitant et les familles sans véhicule. Les élus locaux, les communautés professionnelles territoriales de santé (CPTS) et les infirmiers libéraux sont les partenaires de déploiement.",
            "Médecins généralistes exerçant seuls ou en petit cabinet dans des territoires sous-dotés, et leurs patients. Les spécialistes hospitaliers et libéraux qui répondent aux demandes d’avis forment le second groupe d’utilisateurs.",
        ),
        angles=(
            Angle(
                title="Téléconsultation assistée par un infirmier dans les communes sans médecin",
                hook="Plus de six millions de Français n’ont pas de médecin traitant, et les communes rurales sont les premières touchées.",
                pitch="{name} déploie des téléconsultations assistées par un infirmier dans les mairies, pharmacies et maisons France Services des communes sans médecin.",
                problem="Dans de nombreux territoires ruraux et périurbains, le départ à la retraite des médecins généralistes n’est plus compensé. Les patients sans médecin traitant renoncent aux soins courants, se tournent vers les urgences pour des motifs qui n’en relèvent pas, ou parcourent plus de trente minutes pour une consultation. Les personnes âgées sans voiture sont les premières pénalisées.",
                solution="{name} installe une cabine de consultation légère dans un lieu existant (mairie, pharmacie, maison France Services) et forme des infirmiers libéraux du territoire à assister la téléconsultation. L’infirmier prépare le patient, utilise les instruments connectés (stéthoscope, otoscope, dermatoscope) et reste présent pendant l’échange avec un médecin, de préférence installé dans le même département. Le compte rendu est envoyé au patient et, le cas échéant, à son médecin traitant.",
                target=0,
                users="patients",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Un cabinet médical itinérant pour les territoires ruraux",
                hook="Dans les déserts médicaux, la téléconsultation depuis un smartphone laisse de côté les personnes âgées et les foyers mal connectés.",
                pitch="{name} fait circuler un cabinet médical itinérant qui combine consultations sur place et télé-expertise avec des spécialistes.",
                problem="La téléconsultation classique, depuis un smartphone, ne fonctionne pas pour tout le monde : connexion insuffisante, difficulté à utiliser les outils, impossibilité d’examiner le patient. Dans les zones sous-dotées, elle reste utilisée surtout par des actifs à l’aise avec le numérique, et creuse parfois les inégalités qu’elle devait réduire.",
                solution="Le cabinet itinérant {name} est un véhicule aménagé qui s’arrête chaque semaine dans les mêmes communes, selon un calendrier fixe défini avec les élus. À bord, un médecin ou un infirmier en pratique avancée assure les consultations, réalise des examens simples (ECG, rétinographie) et sollicite des spécialistes en télé-expertise. Les rendez-vous se prennent par téléphone ou en mairie, sans application.",
                target=0,
                users="patients",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Télé-expertise entre généralistes et spécialistes en zone sous-dotée",
                hook="Hors des métropoles, obtenir l’avis d’un dermatologue ou d’un cardiologue peut prendre plusieurs mois.",
                pitch="{name} permet au médecin généraliste d’obtenir l’avis écrit d’un spécialiste en moins de 48 heures.",
                problem="Les délais d’accès aux spécialistes (dermatologie, cardiologie, ophtalmologie) atteignent plusieurs mois hors des métropoles. Les médecins généralistes isolés n’ont pas de moyen simple d’obtenir un avis rapide, et adressent faute de mieux des patients qui auraient pu être pris en charge localement avec un conseil à distance.",
                solution="{name} est une plateforme de télé-expertise asynchrone : le médecin généraliste envoie en quelques clics une question, des photos ou un tracé ECG, et reçoit l’avis d’un spécialiste sous 48 heures. Les spécialistes sont rémunérés selon les actes de télé-expertise prévus par l’Assurance maladie, et les demandes urgentes sont orientées vers une ligne téléphonique dédiée.",
                target=1,
                users="médecins",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Accompagner l’installation des jeunes médecins dans les territoires sous-dotés",
                hook="Les jeunes médecins hésitent à s’installer dans les territoires sous-dotés, faute de logement, d’équipe et de soutien administratif.",
                pitch="{name} accompagne les jeunes médecins du stage à l’installation dans les territoires sous-dotés, avec des solutions clés en main négociées avec les collectivités.",
                problem="Les territoires sous-dotés peinent à attirer de jeunes médecins, alors que beaucoup d’internes se disent prêts à s’y installer s’ils étaient accompagnés. Les obstacles sont concrets : trouver un logement pour un stage, un emploi pour le conjoint, une équipe avec qui travailler, un secrétariat pour gérer l’administratif. Les collectivités multiplient les aides financières, mais sans accompagnement humain elles produisent peu de résultats.",
                solution="{name} met en relation les internes et les jeunes médecins avec les maisons de santé des territoires sous-dotés : offres de stages et de remplacements, logements réservés, aide à l’emploi du conjoint, découverte du territoire. Un chargé d’accompagnement suit chaque médecin jusqu’à l’installation, et le secrétariat comme la gestion administrative sont mutualisés entre plusieurs cabinets. Les collectivités financent le service au nombre d’installations réussies.",
                target=0,
                users="médecins",
                medical_device=False,
                health_data=False,
            ),
        ),
    ),
    Theme(
        key="ehpad",
        categories=("durabilite", "equite", "souverainete"),
        odd=("odd3", "odd10"),
        partners=(
            "trois EHPAD publics du département",
            "un groupe associatif de cinq EHPAD",
            "le service de gériatrie d’un centre hospitalier voisin",
        ),
        names=(
            "Sérénior", "Gériavie", "Âgéo", "Tempo Senior", "Aînés Vigilance",
            "Résidence Connectée", "Bel Âge Santé",
        ),
        targets=(
            "Résidents d’EHPAD et de résidences autonomie, en particulier les personnes atteintes de troubles cognitifs ou à risque de chute, et leurs familles. Les utilisateurs quotidiens sont les équipes soignantes de jour et de nuit, les médecins coordonnateurs et les infirmières coordinatrices.",
            "Établissements d’hébergement pour personnes âgées dépendantes publics, associatifs et privés, en particulier ceux sans médecin coordonnateur à temps plein. Les services de gériatrie, les équipes mobiles et les SAMU sont les partenaires hospitaliers.",
        ),
        angles=(
            Angle(
                title="Détecter les chutes nocturnes en EHPAD sans caméra ni micro",
                hook="Les chutes sont la première cause d’hospitalisation des résidents d’EHPAD, et la nuit une seule aide-soignante veille parfois sur trente résidents.",
                pitch="{name} installe des capteurs radar respectueux de l’intimité qui détectent les chutes et les levers à risque, sans caméra ni micro.",
                problem="La nuit, une aide-soignante peut être seule pour trente à quarante résidents. Une chute non détectée peut laisser une personne au sol pendant plusieurs heures, avec des conséquences graves : fractures, déshydratation, syndrome post-chute. Les solutions de vidéosurveillance posent des problèmes d’intimité et de consentement, et les bracelets d’appel ne sont pas utilisés par les résidents atteints de troubles cognitifs.",
                solution="{name} utilise des capteurs radar basse résolution fixés au plafond, qui détectent une chute ou un lever à risque sans capturer d’image ni de son. L’alerte arrive sur le téléphone de l’équipe de nuit en moins de trente secondes, avec le numéro de chambre. Les capteurs consomment peu, fonctionnent sur le réseau existant, et les données de mouvement ne quittent pas l’établissement, à l’exception des indicateurs agrégés utiles à la prévention des chutes.",
                target=0,
                users="résidents",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Télé-expertise gériatrique de nuit pour éviter les passages aux urgences",
                hook="Les résidents d’EHPAD sont souvent transférés aux urgences la nuit pour des situations qui auraient pu être gérées sur place avec un avis médical rapide.",
                pitch="{name} met en relation les équipes d’EHPAD et une équipe gériatrique hospitalière en télé-expertise, de jour comme de nuit.",
                problem="Chaque année, de nombreux résidents d’EHPAD sont transférés aux urgences, souvent la nuit ou le week-end, faute de médecin coordonnateur joignable. Ces passages sont éprouvants pour des personnes âgées fragiles : attente sur un brancard, confusion, perte d’autonomie au retour. Une partie importante de ces transferts serait évitable avec un avis gériatrique rapide.",
                solution="{name} organise une astreinte de télé-expertise gériatrique mutualisée entre plusieurs EHPAD et un service de gériatrie hospitalier. L’infirmière de l’EHPAD appelle depuis une tablette équipée d’outils connectés (tensiomètre, saturomètre, ECG) ; le gériatre évalue la situation, propose une conduite à tenir sur place ou organise une admission directe en service, sans passage par les urgences.",
                target=1,
                users="résidents",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Un dossier de liaison d’urgence toujours à jour entre EHPAD et SAMU",
                hook="Lors d’un transfert aux urgences, les informations essentielles sur un résident d’EHPAD arrivent souvent incomplètes, voire pas du tout.",
                pitch="{name} génère automatiquement un dossier de liaison d’urgence d’une page, à jour et consultable par le SAMU.",
                problem="Lors d’un transfert aux urgences, les informations essentielles sur le résident (traitements, directives anticipées, niveau d’autonomie, personne de confiance) arrivent souvent incomplètes ou ne suivent pas. Les urgentistes prennent alors des décisions sans connaître la personne, et les examens inutiles se multiplient.",
                solution="{name} génère automatiquement, à partir du logiciel de soins de l’EHPAD, un dossier de liaison d’urgence d’une page, à jour, imprimable et consultable par l’équipe du SAMU. Il reprend les traitements, les antécédents, les directives anticipées et la personne de confiance, et s’appuie sur les référentiels d’interopérabilité nationaux pour alimenter le dossier médical partagé du résident.",
                target=1,
                users="résidents",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Repérer et traiter la dénutrition des résidents d’EHPAD",
                hook="Près d’un résident d’EHPAD sur trois est dénutri, ce qui multiplie les chutes, les infections et les hospitalisations.",
                pitch="{name} aide les équipes d’EHPAD à repérer et à traiter la dénutrition grâce à un suivi simple des repas et du poids.",
                problem="La dénutrition touche près d’un résident d’EHPAD sur trois. Elle accélère la perte d’autonomie, favorise les escarres, les infections et les chutes, et multiplie les hospitalisations. Le suivi des repas se fait encore sur papier, les pesées sont irrégulières, et les équipes, déjà en sous-effectif, n’ont pas d’outil pour repérer rapidement les résidents qui mangent de moins en moins.",
                solution="{name} permet aux équipes de noter en quelques secondes, sur une tablette, la part de chaque repas consommée et les pesées mensuelles. Un indicateur simple signale les résidents à risque à l’infirmière coordinatrice et au diététicien, qui adaptent les menus, les textures et les collations. Les cuisines reçoivent des données agrégées qui réduisent aussi le gaspillage alimentaire.",
                target=0,
                users="résidents",
                medical_device=False,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="interoperabilite",
        categories=("souverainete", "durabilite", "equite"),
        odd=("odd3", "odd9", "odd17"),
        partners=(
            "le groupement régional d’appui au développement de la e-santé",
            "deux éditeurs de logiciels de ville",
            "le dispositif d’appui à la coordination du département",
        ),
        names=(
            "Interopia", "Passerelle Santé", "Synapse Parcours", "Dossier Commun", "Pont Médical",
            "Relais Données Santé", "Harmonie Interop",
        ),
        targets=(
            "Établissements de santé publics et privés, éditeurs de logiciels de ville et structures d’exercice coordonné (maisons de santé, CPTS). In fine, la solution bénéficie aux patients qui sortent d’hospitalisation et aux professionnels de ville qui assurent la continuité des soins.",
            "Coordinateurs de parcours, assistantes sociales hospitalières, dispositifs d’appui à la coordination et professionnels de premier recours d’un territoire, ainsi que les patients aux parcours complexes (polypathologies, handicap, précarité).",
        ),
        angles=(
            Angle(
                title="Des connecteurs FHIR ouverts pour les logiciels de santé de ville",
                hook="Les petits éditeurs de logiciels de ville peinent à suivre les exigences d’interopérabilité nationales, ce qui freine le partage des données utiles au soin.",
                pitch="{name} développe des connecteurs standardisés et ouverts (FHIR, CDA) qui permettent aux logiciels de santé d’échanger documents et données structurées sans ressaisie.",
                problem="Les éditeurs de logiciels de ville, souvent des PME, peinent à suivre les exigences d’interopérabilité nationales : profils FHIR, messagerie sécurisée de santé, dossier médical partagé, identité nationale de santé. Chaque intégration est développée au cas par cas, coûte cher et se maintient mal, ce qui freine le partage de données utiles au soin.",
                solution="{name} propose une passerelle d’interopérabilité qui traduit les formats des logiciels existants vers les standards nationaux (FHIR, CDA R2, messagerie sécurisée de santé) et vérifie l’identité nationale de santé du patient. Les documents de sortie sont envoyés automatiquement aux professionnels désignés par le patient et versés dans son dossier médical partagé. Le code des connecteurs est publié sous licence libre pour que d’autres éditeurs puissent le réutiliser.",
                target=0,
                users="établissements",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="La lettre de liaison chez le médecin traitant le jour de la sortie",
                hook="Les informations médicales circulent encore mal entre l’hôpital et la ville : fax, courriers papier et ressaisies restent la norme.",
                pitch="{name} fait arriver la lettre de liaison de sortie chez le médecin traitant et le pharmacien le jour même, dans leur logiciel habituel.",
                problem="Un patient hospitalisé sort souvent sans que son médecin traitant, son pharmacien ou son infirmier libéral aient reçu la lettre de liaison. Les documents voyagent par courrier, par fax ou dans les mains du patient. Les professionnels de ville ressaisissent les traitements à la main, avec un risque réel d’erreur médicamenteuse dans les jours qui suivent la sortie.",
                solution="La solution {name} s’installe comme un module léger à côté du dossier patient informatisé de l’hôpital. Dès la validation de la lettre de liaison, elle l’envoie par messagerie sécurisée au médecin traitant, au pharmacien et à l’infirmier libéral, et notifie le patient dans Mon espace santé. Les traitements de sortie sont transmis sous forme structurée, prêts à être intégrés dans le logiciel de l’officine.",
                target=0,
                users="patients",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Un annuaire partagé des ressources de soins d’un territoire",
                hook="Sur un même territoire, les professionnels ne savent pas toujours qui fait quoi, ni quel service peut accueillir un patient et dans quel délai.",
                pitch="{name} est un annuaire territorial des ressources de soins, tenu à jour par les structures elles-mêmes et interopérable avec les référentiels nationaux.",
                problem="Sur un même territoire, les professionnels ne savent pas qui fait quoi : quelle équipe mobile intervient à domicile, quel centre accepte de nouveaux patients, quel délai pour un avis spécialisé. Ces informations vivent dans des tableurs et des annuaires rarement mis à jour, et les coordinateurs de parcours passent des heures au téléphone.",
                solution="{name} est un annuaire territorial des ressources de soins, mis à jour par les structures elles-mêmes et interopérable avec les référentiels nationaux d’offre de soins. Les coordinateurs de parcours y trouvent en quelques secondes les disponibilités, les critères d’admission et les contacts directs, et peuvent adresser un patient au moyen d’un formulaire sécurisé.",
                target=1,
                users="professionnels",
                medical_device=False,
                health_data=False,
            ),
            Angle(
                title="Partager les images médicales entre établissements, sans CD-ROM",
                hook="Des examens d’imagerie sont encore refaits faute de pouvoir partager les images entre établissements, ou transmis sur CD-ROM.",
                pitch="{name} permet de partager les examens d’imagerie entre établissements et avec les médecins de ville, de façon sécurisée et sans CD-ROM.",
                problem="Lorsqu’un patient change d’établissement ou consulte un spécialiste, ses examens d’imagerie le suivent encore souvent sur CD-ROM, quand ils le suivent. Les images sont illisibles sur de nombreux postes, les comptes rendus se perdent, et des scanners ou des IRM sont refaits inutilement, avec une irradiation supplémentaire pour les scanners et des semaines d’attente.",
                solution="{name} relie les systèmes d’archivage d’images des établissements et des cabinets de radiologie par un réseau d’échange conforme aux standards DICOM et FHIR. Le médecin autorisé consulte les images dans son navigateur, sans rien installer, et le patient retrouve ses comptes rendus dans son espace santé. Les images restent stockées là où elles ont été produites : seules les consultations transitent, ce qui évite les doublons de stockage.",
                target=0,
                users="établissements",
                medical_device=False,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="ia_frugale",
        categories=("durabilite", "souverainete", "equite"),
        odd=("odd3", "odd9", "odd12"),
        partners=(
            "deux maisons de santé pluriprofessionnelles de la région",
            "un réseau de centres de santé associatifs",
            "une clinique privée {de_city}",
        ),
        names=(
            "Dermaclair", "Frugalia", "Lumen Diagnostic", "Sobria IA", "Radiolite", "Algosobre",
            "Clairvue Santé",
        ),
        targets=(
            "Médecins généralistes, centres de santé et maisons de santé pluriprofessionnelles, en particulier dans les territoires où l’accès aux spécialistes est difficile. Les spécialistes qui reçoivent les patients adressés bénéficient de demandes mieux priorisées et mieux documentées.",
            "Établissements de santé de taille moyenne, groupements hospitaliers de territoire et centres de santé qui souhaitent utiliser l’IA sans dépendre d’un cloud extérieur, ainsi que les patients dont les données restent traitées sur place.",
        ),
        angles=(
            Angle(
                title="Une IA frugale d’aide au tri des lésions cutanées, embarquée sur smartphone",
                hook="Les délais pour consulter un dermatologue dépassent souvent quatre mois, et les outils d’IA existants envoient les photos des patients sur des serveurs lointains.",
                pitch="{name} a conçu un modèle d’IA compact qui aide le médecin généraliste à prioriser les lésions cutanées, directement sur l’appareil et sans connexion.",
                problem="Les délais pour consulter un dermatologue dépassent souvent quatre mois. Les médecins généralistes voient chaque jour des lésions cutanées dont ils ne savent pas toujours évaluer l’urgence. Les outils d’IA existants demandent d’envoyer des photos de patients vers des serveurs situés hors d’Europe, ce qui pose des questions de confidentialité et de conformité au RGPD.",
                solution="{name} a entraîné un réseau de neurones de moins de dix millions de paramètres, qui tourne directement sur un smartphone de milieu de gamme ou sur l’ordinateur du cabinet, sans connexion. Le médecin photographie la lésion avec un dermatoscope à clipser ; l’outil propose un niveau d’urgence et met en évidence les zones de l’image qui ont pesé dans la décision. Aucune image ne quitte l’appareil sans l’accord explicite du patient.",
                target=0,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Dépister la rétinopathie diabétique avec un appareil sobre et peu coûteux",
                hook="Moins de la moitié des personnes diabétiques bénéficient du dépistage annuel de la rétinopathie, faute d’ophtalmologistes et d’équipements abordables.",
                pitch="{name} propose une IA d’aide au dépistage explicable, qui fonctionne sur un mini-PC de moins de 15 watts et a été validée sur des données françaises.",
                problem="Le dépistage de la rétinopathie diabétique devrait être annuel pour toutes les personnes diabétiques, mais moins de la moitié en bénéficient. Les rétinographes sont chers, les ophtalmologistes rares, et les solutions d’IA disponibles nécessitent une connexion haut débit et des serveurs énergivores que les petits cabinets et les centres de santé n’ont pas.",
                solution="Le modèle {name} a été distillé à partir d’un modèle plus grand, puis quantifié pour fonctionner sur un mini-PC de moins de 15 watts relié à un rétinographe non mydriatique d’entrée de gamme. Il a été évalué sur des données de plusieurs établissements français, avec des résultats publiés par sous-groupe (âge, sexe, origine) pour vérifier l’absence de biais. Les décisions restent celles du médecin : l’outil classe et explique, il ne diagnostique pas.",
                target=0,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Un modèle de langage compact pour résumer les dossiers patients, sans cloud",
                hook="Les grands modèles d’IA sont gourmands en énergie, opaques, et dépendent souvent de serveurs hors d’Europe.",
                pitch="{name} résume un dossier patient en une page structurée grâce à un modèle de langage compact installé sur les serveurs de l’établissement.",
                problem="Les grands modèles d’intelligence artificielle consomment beaucoup d’énergie à l’entraînement comme à l’usage, et leur fonctionnement reste opaque pour les soignants qui doivent en assumer les conséquences cliniques. Les établissements hésitent à les adopter, faute de garanties sur la souveraineté des données, la traçabilité des décisions et le coût environnemental.",
                solution="{name} propose un modèle de langage compact, entraîné sur des corpus médicaux en français, qui résume un dossier patient en une page structurée pour préparer une consultation ou une réunion de concertation pluridisciplinaire. Il fonctionne sur un serveur de l’établissement, sans appel à une API externe. Chaque phrase du résumé renvoie au document source, pour que le médecin puisse vérifier en un clic.",
                target=1,
                users="établissements",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Des comptes rendus de consultation dictés à une IA qui reste dans le cabinet",
                hook="Les soignants passent une part croissante de leur temps à rédiger, et les outils de dictée par IA envoient souvent la voix des patients vers des serveurs étrangers.",
                pitch="{name} transcrit et structure les comptes rendus de consultation avec un modèle de reconnaissance vocale compact qui fonctionne sur l’ordinateur du cabinet.",
                problem="Les médecins consacrent jusqu’à un tiers de leur temps à des tâches administratives, dont la rédaction des comptes rendus et des courriers. Les outils de dictée par intelligence artificielle se multiplient, mais la plupart envoient l’enregistrement de la consultation vers des serveurs situés hors de l’Union européenne, ce qui pose des questions de secret médical, de consentement des patients et de consommation énergétique.",
                solution="{name} utilise un modèle de reconnaissance vocale et un petit modèle de langage spécialisés en français médical, qui fonctionnent entièrement sur l’ordinateur du cabinet. L’enregistrement n’est jamais conservé : seul le texte structuré est proposé au médecin, qui le relit et le valide avant de l’intégrer à son logiciel. Le patient est informé par une affiche et peut refuser à tout moment.",
                target=0,
                users="médecins",
                medical_device=False,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="hebergement_hds",
        categories=("souverainete", "durabilite", "equite"),
        odd=("odd9",),
        partners=(
            "un groupe associatif de cinq EHPAD",
            "un réseau de centres de santé associatifs",
            "un cabinet de radiologie {de_city}",
        ),
        names=(
            "Coffre Santé", "Hébergia", "Nuage Souverain Santé", "Forteresse Données",
            "Socle Santé Numérique", "Sécuria Santé", "Bastion Médical",
        ),
        targets=(
            "EHPAD, centres de santé, cabinets de groupe, laboratoires et petits établissements de santé, ainsi que les éditeurs de logiciels de santé qui cherchent un hébergeur souverain. Les directions, délégués à la protection des données et référents informatiques sont les interlocuteurs principaux.",
            "Équipes de recherche clinique des établissements de santé, unités de recherche universitaires et associations de patients qui conduisent des études, ainsi que les délégués à la protection des données qui doivent en garantir la conformité.",
        ),
        angles=(
            Angle(
                title="Un cloud de santé souverain et certifié HDS pour les petites structures",
                hook="Les petites structures de santé n’ont ni les moyens ni les compétences pour héberger leurs données de santé de manière sûre et souveraine.",
                pitch="{name} fournit un hébergement certifié HDS, opéré en France par une société française, pensé pour les structures sans service informatique.",
                problem="Les EHPAD, centres de santé, cabinets de radiologie et petits établissements utilisent des dizaines de logiciels qui stockent des données de santé. Beaucoup sont hébergés par des fournisseurs soumis à des lois extraterritoriales, sans que la structure le sache. Les directions n’ont pas les compétences pour évaluer les contrats, et la conformité à la certification HDS et au RGPD reste théorique.",
                solution="{name} opère une plateforme d’hébergement certifiée HDS dans deux centres de données situés en France, détenus et exploités par des sociétés de droit français. Les clients choisissent des offres clés en main (hébergement de leur logiciel métier, messagerie, stockage de documents) avec un interlocuteur unique et un contrat rédigé en langage clair. Un audit de migration gratuit identifie les logiciels hébergés hors de l’Union européenne.",
                target=0,
                users="établissements",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Des sauvegardes isolées et restaurables pour résister aux rançongiciels",
                hook="Les cyberattaques contre les établissements de santé se multiplient et paralysent parfois les soins pendant des semaines.",
                pitch="{name} protège les données de santé avec des sauvegardes chiffrées, isolées du réseau et restaurables en quelques heures après une attaque.",
                problem="Depuis quelques années, des hôpitaux français ont été paralysés par des rançongiciels : déprogrammation d’opérations, retour au papier pendant des semaines, données de patients publiées. Les petites structures sont les plus vulnérables, avec des sauvegardes souvent connectées au réseau attaqué et jamais testées.",
                solution="La solution {name} réalise chaque nuit une sauvegarde chiffrée, immuable et isolée du réseau de l’établissement, stockée dans deux sites certifiés HDS en France. Un exercice de restauration est mené chaque trimestre avec l’équipe de l’établissement, et un plan de continuité simplifié indique quels logiciels redémarrer en priorité pour que les soins reprennent en moins de 24 heures.",
                target=0,
                users="établissements",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Des espaces de travail sécurisés pour la recherche en santé",
                hook="Faute d’environnement sécurisé, des données de santé de recherche circulent encore sur des clés USB et des services de partage grand public.",
                pitch="{name} ouvre en quelques jours des espaces de travail sécurisés, hébergés en France, où les chercheurs analysent des données pseudonymisées sans pouvoir les télécharger.",
                problem="Les équipes de recherche clinique manipulent des données de santé sensibles sur des postes personnels, des clés USB ou des services de partage grand public. Les entrepôts de données hospitaliers sont difficiles d’accès pour les petits projets, et l’absence d’environnement sécurisé freine des études pourtant utiles aux patients.",
                solution="{name} propose des espaces de travail sécurisés pour la recherche : machines virtuelles hébergées en France, données pseudonymisées, outils d’analyse préinstallés, aucune possibilité de télécharger les données brutes. Chaque accès est tracé et les projets sont ouverts après validation du délégué à la protection des données, ce qui raccourcit de plusieurs mois le démarrage des études.",
                target=1,
                users="chercheurs",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Un référent cybersécurité partagé pour les établissements médico-sociaux",
                hook="Les établissements médico-sociaux traitent des données de santé sans aucun responsable de la sécurité informatique.",
                pitch="{name} met à disposition des établissements médico-sociaux un référent cybersécurité à temps partagé, avec un plan d’action adapté à leur taille.",
                problem="Les EHPAD, foyers et services d’aide à domicile traitent chaque jour des données de santé, mais la plupart n’ont ni service informatique ni responsable de la sécurité. Mots de passe partagés, postes non mis à jour, sauvegardes absentes : ils sont des cibles faciles pour les rançongiciels, et les exigences réglementaires en matière de cybersécurité leur paraissent hors de portée.",
                solution="{name} propose un référent cybersécurité partagé entre plusieurs établissements : diagnostic initial en une journée, plan d’action priorisé, sensibilisation des équipes par des ateliers courts, exercices de crise et suivi trimestriel. Les outils proposés sont open source ou européens, et les établissements peuvent héberger leurs logiciels de soins en France chez un hébergeur certifié HDS partenaire.",
                target=0,
                users="établissements",
                medical_device=False,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="accessibilite",
        categories=("equite", "souverainete", "durabilite"),
        odd=("odd3", "odd10"),
        partners=(
            "une association de personnes en situation de handicap",
            "une association de personnes sourdes et malentendantes",
            "un réseau de centres de santé associatifs",
        ),
        names=(
            "Accessanté", "Lisible Santé", "Signe Santé", "Tous Patients", "Clair Santé",
            "Ouïe Santé", "Main Tendue Numérique",
        ),
        targets=(
            "Personnes en situation de handicap (sensoriel, moteur, cognitif, psychique), personnes âgées, personnes allophones ou en difficulté avec l’écrit, ainsi que leurs aidants. Les établissements de santé, les éditeurs de services numériques et les agences régionales de santé sont les clients.",
            "Personnes sourdes, malentendantes et devenues sourdes, qui sont plusieurs millions en France, et les professionnels de santé qui les accueillent en ville comme à l’hôpital.",
        ),
        angles=(
            Angle(
                title="Des documents de santé faciles à lire et à comprendre (FALC)",
                hook="Près d’un adulte sur cinq a des difficultés avec l’écrit, alors que les documents médicaux restent rédigés dans un langage technique.",
                pitch="{name} rend les documents de santé compréhensibles par tous, avec des versions faciles à lire et à comprendre relues par des personnes concernées, et des versions audio.",
                problem="Près d’un adulte sur cinq a des difficultés avec l’écrit, et les documents médicaux (consentements, comptes rendus, notices, convocations) sont rédigés dans un langage technique. Les personnes en situation de handicap intellectuel, les personnes âgées et les personnes allophones comprennent mal ce qu’on attend d’elles : rendez-vous manqués, examens mal préparés, traitements mal pris.",
                solution="{name} transforme les documents des établissements en versions faciles à lire et à comprendre, relues par des personnes concernées, et en versions audio. Un outil d’aide à la rédaction signale aux soignants les phrases trop longues et les termes techniques, et propose des reformulations validées. Les documents sont disponibles sur papier, en ligne et grâce à un QR code imprimé sur les convocations.",
                target=0,
                users="personnes",
                medical_device=False,
                health_data=False,
            ),
            Angle(
                title="Des consultations accessibles en langue des signes française",
                hook="Les personnes sourdes rencontrent des obstacles à chaque étape du parcours de soins, de la prise de rendez-vous à l’annonce d’un diagnostic.",
                pitch="{name} propose une visio-interprétation en langue des signes française à la demande pendant les consultations, et une prise de rendez-vous sans téléphone.",
                problem="Les personnes sourdes et malentendantes rencontrent des obstacles à chaque étape du parcours de soins : prise de rendez-vous par téléphone, consultation sans interprète, annonce d’un diagnostic sans accessibilité. Les unités d’accueil en langue des signes sont peu nombreuses et concentrées dans quelques grandes villes.",
                solution="{name} propose une visio-interprétation en langue des signes française disponible à la demande pendant les consultations, avec des interprètes diplômés, et un accueil accessible par tchat et visio. Les soignants disposent d’une tablette prête à l’emploi et de fiches réflexes pour l’annonce d’un diagnostic, et les patients peuvent prendre rendez-vous sans passer par le téléphone.",
                target=1,
                users="patients",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Rendre les services numériques de santé conformes au RGAA",
                hook="La plupart des services numériques de santé ne respectent pas le référentiel général d’amélioration de l’accessibilité (RGAA).",
                pitch="{name} audite et corrige l’accessibilité des services numériques de santé, avec des tests menés par des personnes en situation de handicap.",
                problem="La plupart des services numériques de santé (prise de rendez-vous, portails patients, applications de suivi) ne respectent pas le RGAA. Les personnes aveugles ou malvoyantes et celles qui ont des troubles moteurs ou cognitifs se retrouvent exclues, alors que le numérique devait simplifier l’accès aux soins.",
                solution="{name} réalise des audits RGAA complets des services numériques de santé, accompagne les équipes de développement dans les corrections et forme les rédacteurs. Chaque audit est complété par des tests utilisateurs avec des personnes aveugles, malvoyantes, sourdes ou ayant des troubles cognitifs, rémunérées pour leur expertise d’usage. Les déclarations d’accessibilité sont publiées et suivies dans le temps.",
                target=0,
                users="services numériques",
                medical_device=False,
                health_data=False,
            ),
            Angle(
                title="L’interprétariat professionnel à la demande pour les patients allophones",
                hook="Faute d’interprète, de nombreux patients qui ne parlent pas français sont soignés sans avoir compris leur diagnostic ni leur traitement.",
                pitch="{name} met les soignants en relation en moins d’une minute avec un interprète professionnel en santé, par téléphone ou en visio, dans plus de quarante langues.",
                problem="Dans les services d’urgence, les maternités, les centres de santé et les PMI, une part importante des patients ne parle pas ou peu le français. Faute d’interprète disponible, les soignants se débrouillent avec un proche, parfois un enfant, ou un outil de traduction automatique. Les erreurs de compréhension sont fréquentes, le consentement n’est pas vraiment éclairé et le secret médical n’est pas respecté.",
                solution="{name} propose un interprétariat professionnel en santé disponible en moins d’une minute, par téléphone ou en visio, dans plus de quarante langues, y compris des langues rares. Les interprètes sont formés au vocabulaire médical, à la confidentialité et à l’annonce de mauvaises nouvelles. Des documents d’information traduits et relus par des professionnels complètent le service, et les établissements paient à la minute, sans abonnement.",
                target=0,
                users="patients",
                medical_device=False,
                health_data=False,
            ),
        ),
    ),
    Theme(
        key="perinatalite",
        categories=("equite", "souverainete", "durabilite"),
        odd=("odd3", "odd5", "odd10"),
        partners=(
            "le réseau de périnatalité de la région",
            "deux maternités de la région",
            "les services de PMI du département",
        ),
        names=(
            "Mille Jours", "Berceau Santé", "Néoparents", "Maternéo", "Premiers Pas Santé",
            "Nid Santé", "Doula Numérique",
        ),
        targets=(
            "Femmes enceintes, jeunes parents et leurs enfants jusqu’à deux ans, en priorité les familles en situation de vulnérabilité. Les sages-femmes libérales et hospitalières, les services de protection maternelle et infantile (PMI) et les maternités sont les partenaires professionnels.",
            "Femmes enceintes suivies pour une grossesse à risque ou vivant à plus de trente minutes d’une maternité, ainsi que les équipes obstétricales et les sages-femmes libérales des territoires concernés.",
        ),
        angles=(
            Angle(
                title="Accompagner les familles pendant les 1000 premiers jours",
                hook="Les 1000 premiers jours de l’enfant sont décisifs pour sa santé future, mais de nombreux parents se sentent seuls et mal informés après la sortie de maternité.",
                pitch="{name} accompagne les parents de la grossesse aux deux ans de l’enfant, avec des contenus validés en huit langues et un accès direct à des sages-femmes.",
                problem="Les séjours en maternité sont de plus en plus courts, et le retour à domicile est souvent un moment d’isolement pour les jeunes parents. Les informations trouvées en ligne sont contradictoires, les consultations de PMI sont saturées dans certains départements, et les familles les plus vulnérables (parents isolés, précarité, barrière de la langue) sont celles qui bénéficient le moins de l’accompagnement existant.",
                solution="{name} propose un parcours d’accompagnement des 1000 premiers jours : contenus courts validés par des sages-femmes et des pédiatres, disponibles en huit langues et en version audio, tchat avec une sage-femme sept jours sur sept, et mise en relation avec les ressources locales (PMI, lieux d’accueil parents-enfants, consultations d’allaitement). Les familles repérées comme vulnérables sont rappelées par une professionnelle.",
                target=0,
                users="familles",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Repérer tôt la dépression post-partum",
                hook="La dépression post-partum touche environ une mère sur six et reste largement sous-diagnostiquée.",
                pitch="{name} repère les signes de dépression post-partum grâce à un suivi par SMS et oriente les mères, et leurs partenaires, vers un soutien adapté.",
                problem="La dépression post-partum touche environ une mère sur six, et le suicide est l’une des premières causes de mortalité maternelle dans l’année qui suit l’accouchement. Les signes sont souvent banalisés par l’entourage comme par les soignants, et l’entretien postnatal précoce, pourtant obligatoire, n’est pas toujours réalisé ni suivi d’une orientation.",
                solution="{name} intègre l’échelle d’Édimbourg et des questions validées dans un suivi par SMS pendant la grossesse et l’année qui suit la naissance. En cas de score à risque, une sage-femme ou une psychologue rappelle la mère sous 48 heures et l’oriente vers une consultation de psychiatrie périnatale. Les partenaires sont aussi invités à répondre, car la dépression paternelle est également sous-estimée.",
                target=0,
                users="familles",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Suivre à domicile les grossesses à risque loin des maternités",
                hook="La fermeture de maternités oblige de nombreuses femmes enceintes à parcourir plus de quarante-cinq minutes pour chaque consultation.",
                pitch="{name} organise le suivi à domicile des grossesses à risque, avec des mesures connectées et des sages-femmes en visio et à domicile.",
                problem="La fermeture de maternités dans les petites villes oblige de nombreuses femmes enceintes à parcourir plus de quarante-cinq minutes pour chaque consultation de suivi. Les grossesses à risque (diabète gestationnel, hypertension) nécessitent pourtant des contrôles fréquents, et les déplacements répétés pèsent sur les familles, surtout sans véhicule.",
                solution="{name} met en place un suivi de grossesse à domicile pour les femmes éloignées d’une maternité : tensiomètre et lecteur de glycémie connectés, consultations de sages-femmes en visio et à domicile, alertes vers la maternité de référence en cas de valeur anormale. Le dispositif réduit le nombre de déplacements tout en gardant un suivi rapproché des grossesses à risque.",
                target=1,
                users="patientes",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Soutenir l’allaitement dans les semaines qui suivent la naissance",
                hook="Beaucoup de mères arrêtent l’allaitement plus tôt qu’elles ne l’auraient souhaité, faute de soutien dans les premières semaines.",
                pitch="{name} met les jeunes mères en relation avec des consultantes en lactation et des sages-femmes, en visio ou à domicile, dès la sortie de maternité.",
                problem="La France a l’un des taux d’allaitement les plus bas d’Europe, et de nombreuses mères arrêtent dans le premier mois, souvent à cause de douleurs, d’inquiétudes sur la prise de poids du bébé ou de conseils contradictoires. Les consultations spécialisées sont rares, peu remboursées et concentrées dans les grandes villes, alors que les difficultés surviennent justement dans les jours qui suivent le retour à domicile.",
                solution="{name} propose une première consultation en visio avec une consultante en lactation ou une sage-femme dans les 24 heures, puis des visites à domicile lorsque c’est nécessaire. Les mères accèdent à des vidéos courtes et à un groupe de soutien animé par des professionnelles. Les contenus sont rédigés en langage clair et disponibles en plusieurs langues, et le service est gratuit pour les familles bénéficiant de la complémentaire santé solidaire.",
                target=0,
                users="familles",
                medical_device=False,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="sobriete",
        categories=("durabilite", "souverainete", "equite"),
        odd=("odd12", "odd13", "odd9"),
        partners=(
            "un groupement hospitalier de territoire de la région",
            "une clinique privée {de_city}",
            "trois EHPAD publics du département",
        ),
        names=(
            "Écosoin", "Sobre Hôpital", "Reconditionne Santé", "Kilowatt Santé", "Bloc Sobre",
            "Sobriété Numérique Santé", "Cycle Médical",
        ),
        targets=(
            "Directions des établissements de santé et médico-sociaux, directions des systèmes d’information, services biomédicaux et référents développement durable. Les groupements hospitaliers de territoire sont un levier de déploiement à plus grande échelle.",
            "Équipes de bloc opératoire (anesthésistes, chirurgiens, infirmiers de bloc), pharmacies hospitalières et services achats, ainsi que les structures de soins qui ont besoin d’équipements fiables à coût réduit.",
        ),
        angles=(
            Angle(
                title="Mesurer et réduire l’empreinte du numérique hospitalier",
                hook="Le secteur de la santé représente environ 8 % des émissions de gaz à effet de serre en France, et le numérique y occupe une part croissante.",
                pitch="{name} mesure l’empreinte environnementale du numérique d’un établissement et propose un plan d’action chiffré pour la réduire.",
                problem="Le secteur de la santé est responsable d’environ 8 % des émissions de gaz à effet de serre en France. Les établissements renouvellent leurs postes de travail, écrans et serveurs tous les quatre à cinq ans, alors que la fabrication des équipements représente l’essentiel de leur empreinte. Les directions manquent d’outils pour mesurer cet impact et prioriser les actions.",
                solution="{name} réalise un inventaire du parc numérique de l’établissement à partir des outils existants, calcule son empreinte carbone et eau selon une méthode ouverte et documentée, puis propose un plan d’action : allongement de la durée de vie des postes, mutualisation des serveurs, extinction automatique la nuit, écoconception des applications internes. Les gains sont suivis dans un tableau de bord trimestriel partagé avec les équipes.",
                target=0,
                users="établissements",
                medical_device=False,
                health_data=False,
            ),
            Angle(
                title="Reconditionner les équipements biomédicaux plutôt que les jeter",
                hook="Des équipements biomédicaux encore fonctionnels sont détruits chaque année, pendant que d’autres structures de soins manquent de matériel.",
                pitch="{name} reconditionne et remet en service des équipements biomédicaux, avec une garantie de deux ans et une traçabilité complète.",
                problem="Les équipements biomédicaux (pousse-seringues, moniteurs, échographes) sont souvent remplacés alors qu’ils fonctionnent encore, faute de filière de reconditionnement fiable. Dans le même temps, des centres de santé, des EHPAD et des structures humanitaires manquent de matériel. Ces équipements finissent stockés ou détruits, avec un gaspillage de ressources rares.",
                solution="{name} collecte les équipements réformés, les contrôle, les répare et les recertifie dans un atelier agréé, avec une traçabilité complète et une garantie de deux ans. Les équipements sont revendus à prix réduit à des structures de soins ou donnés à des partenaires humanitaires. L’atelier emploie des techniciens en insertion formés à la maintenance biomédicale.",
                target=1,
                users="établissements",
                medical_device=False,
                health_data=False,
            ),
            Angle(
                title="Réduire l’empreinte carbone du bloc opératoire",
                hook="Le bloc opératoire concentre une grande part de l’empreinte environnementale d’un hôpital, sans que les équipes disposent de données pour agir.",
                pitch="{name} mesure, intervention par intervention, la consommation de gaz anesthésiques, de dispositifs à usage unique et d’énergie, et propose des gestes de réduction.",
                problem="Le bloc opératoire concentre une grande part de l’empreinte environnementale d’un hôpital : gaz anesthésiques à fort pouvoir de réchauffement, dispositifs à usage unique, ventilation et éclairage permanents. Les équipes soignantes sont prêtes à agir mais ne disposent pas de données fiables pour savoir par où commencer.",
                solution="{name} fournit aux équipes du bloc opératoire un outil simple qui mesure, intervention par intervention, la consommation de gaz anesthésiques, de dispositifs à usage unique et d’énergie. Des recommandations issues des sociétés savantes sont proposées (choix des gaz, matériel réutilisable, mise en veille des salles), et les économies réalisées sont restituées en euros et en tonnes de CO2.",
                target=1,
                users="blocs opératoires",
                medical_device=False,
                health_data=False,
            ),
            Angle(
                title="Passer de l’usage unique au réutilisable dans les services de soins",
                hook="Les établissements de santé produisent des centaines de milliers de tonnes de déchets par an, dont une grande part liée à l’usage unique.",
                pitch="{name} organise le passage de l’usage unique au réutilisable dans les services de soins, avec une filière locale de lavage et de stérilisation.",
                problem="Blouses, plateaux, bassins, textiles : une grande partie du matériel utilisé dans les services de soins est jetée après un seul usage. Ces déchets coûtent cher à éliminer, en particulier lorsqu’ils sont classés à risque infectieux, et leur production pèse lourd dans l’empreinte carbone des établissements. Les équipes voudraient changer leurs pratiques mais craignent pour l’hygiène et manquent de filières fiables.",
                solution="{name} réalise un diagnostic des consommations d’usage unique d’un service, identifie les produits qui peuvent être remplacés sans risque pour l’hygiène, puis organise la filière de lavage ou de stérilisation avec des blanchisseries et des entreprises d’insertion locales. Les équipes d’hygiène valident chaque changement, et un tableau de bord mensuel suit les tonnes de déchets évitées et les économies réalisées.",
                target=1,
                users="établissements",
                medical_device=False,
                health_data=False,
            ),
        ),
    ),
    Theme(
        key="cancerologie",
        categories=("equite", "souverainete", "durabilite"),
        odd=("odd3", "odd10"),
        partners=(
            "un centre de lutte contre le cancer de la région",
            "le service d’oncologie d’un centre hospitalier voisin",
            "une association de patients atteints de cancer",
        ),
        names=(
            "Oncovia", "Chimio Lien", "Retour Maison Santé", "Pas à Pas Onco", "Roseau Santé",
            "Onco Parcours", "Relais Onco",
        ),
        targets=(
            "Patients atteints de cancer traités par voie orale et leurs aidants, équipes d’oncologie des établissements, pharmaciens d’officine, infirmiers libéraux et médecins généralistes qui assurent le suivi de proximité.",
            "Personnes en cours de traitement ou en rémission d’un cancer, en particulier celles qui vivent loin des centres de référence ou qui souhaitent reprendre une activité professionnelle, ainsi que les employeurs et les services de santé au travail.",
        ),
        angles=(
            Angle(
                title="Suivi à domicile des patients sous chimiothérapie orale",
                hook="Plus de la moitié des traitements anticancéreux sont désormais pris à domicile, mais les effets indésirables sont souvent signalés trop tard.",
                pitch="{name} suit les patients sous thérapie orale grâce à des questionnaires courts et à une infirmière de coordination en oncologie.",
                problem="Les chimiothérapies orales et les thérapies ciblées se prennent à domicile, souvent pendant des mois. Les effets indésirables (diarrhées, lésions cutanées, fatigue intense) sont fréquents et, s’ils ne sont pas pris en charge tôt, conduisent à des hospitalisations ou à l’arrêt du traitement. Les patients hésitent à appeler le service pour ne pas déranger, et les médecins de ville connaissent mal ces molécules.",
                solution="{name} propose au patient un questionnaire hebdomadaire de symptômes, fondé sur des référentiels validés, rempli en deux minutes par application, SMS ou téléphone. Les réponses sont classées automatiquement ; l’infirmière de coordination rappelle en priorité les patients dont les symptômes s’aggravent et partage l’information avec le pharmacien et le médecin traitant. Des fiches conseils sur chaque molécule sont mises à disposition des professionnels de ville.",
                target=0,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="L’activité physique adaptée pendant et après le cancer, partout en France",
                hook="L’activité physique adaptée réduit la fatigue et le risque de récidive de plusieurs cancers, mais elle reste peu accessible hors des grands centres.",
                pitch="{name} propose des programmes d’activité physique adaptée en visio ou près de chez soi, encadrés par des enseignants spécialisés.",
                problem="L’activité physique adaptée réduit la fatigue et le risque de récidive de plusieurs cancers, mais elle reste peu prescrite et peu accessible. Les programmes existent surtout dans les grands centres, avec des horaires incompatibles avec une reprise du travail. En zone rurale, les patients n’ont souvent aucune offre à moins d’une heure de route.",
                solution="Le programme {name} associe un bilan initial avec un enseignant en activité physique adaptée, des séances collectives en visio ou en présentiel près de chez soi, et un suivi de la progression. Les séances tiennent compte des effets des traitements et sont accessibles aux personnes à mobilité réduite. Un partenariat avec des associations sportives locales permet de poursuivre l’activité après le programme.",
                target=1,
                users="patients",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Réussir son retour à l’emploi après un cancer",
                hook="Après un cancer, beaucoup de salariés perdent leur emploi dans les deux ans qui suivent le diagnostic.",
                pitch="{name} accompagne les salariés touchés par un cancer et leurs employeurs, de la préparation de la reprise aux aménagements de poste.",
                problem="Chaque année, des milliers de personnes en âge de travailler sont touchées par un cancer. Le retour à l’emploi est semé d’obstacles : fatigue persistante, troubles cognitifs, méconnaissance des aménagements possibles, crainte de discrimination. Beaucoup perdent leur emploi dans les deux ans qui suivent le diagnostic.",
                solution="{name} accompagne les salariés touchés par un cancer et leurs employeurs : entretiens avec une ergonome et une psychologue du travail, préparation de la visite de pré-reprise avec la médecine du travail, formation des managers, aménagements de poste concrets. Les échanges restent confidentiels : l’employeur ne reçoit jamais d’information médicale.",
                target=1,
                users="salariés",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Accompagner les adolescents et jeunes adultes atteints de cancer",
                hook="Les adolescents et jeunes adultes atteints de cancer sont souvent soignés dans des services qui ne sont pas pensés pour leur âge.",
                pitch="{name} relie les 15-25 ans atteints de cancer entre eux et à une équipe de coordination dédiée, pour qu’ils poursuivent leurs études et leur vie sociale pendant les traitements.",
                problem="Chaque année, plus de deux mille jeunes de 15 à 25 ans apprennent qu’ils ont un cancer. Ils sont soignés tantôt en pédiatrie, tantôt chez les adultes, dans des services qui répondent mal à leurs besoins : poursuite des études, vie sociale, préservation de la fertilité, vie affective, insertion professionnelle. L’isolement pendant les traitements et les difficultés du retour à une vie normale laissent des traces durables.",
                solution="{name} propose une application et une équipe de coordination dédiées aux 15-25 ans : un référent joignable par messagerie, une communauté de pairs modérée par des professionnels, des contenus validés sur la fertilité, la vie affective et les études, et un lien avec les établissements scolaires et universitaires pour aménager les cursus. Les équipes soignantes reçoivent une alerte lorsque le jeune signale un mal-être.",
                target=1,
                users="jeunes",
                medical_device=False,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="medicaments",
        categories=("durabilite", "equite", "souverainete"),
        odd=("odd3", "odd12"),
        partners=(
            "un groupement de pharmacies d’officine",
            "la CPTS du bassin de vie {de_city}",
            "la pharmacie d’un centre hospitalier voisin",
        ),
        names=(
            "Pharmalien", "Concilia", "Posologia", "Pilulier Malin", "Zéro Gâchis Pharma",
            "Juste Dose", "Officine Plus",
        ),
        targets=(
            "Personnes âgées polymédiquées vivant à domicile ou en EHPAD, patients sortant d’hospitalisation et leurs aidants. Les pharmaciens d’officine, médecins traitants, infirmiers libéraux et pharmaciens hospitaliers sont les utilisateurs professionnels.",
            "Patients atteints de maladies chroniques (hypertension, diabète, maladies cardiovasculaires, VIH) qui prennent des traitements au long cours, ainsi que les pharmacies d’officine et leurs groupements.",
            "Médecins généralistes, pédiatres et pharmaciens d’officine, ainsi que leurs patients, en particulier les enfants et les personnes âgées, les plus exposés aux prescriptions d’antibiotiques inutiles. Les agences régionales de santé et les centres régionaux en antibiothérapie sont des partenaires naturels du déploiement.",
        ),
        angles=(
            Angle(
                title="Bilans de médication et conciliation entre l’hôpital et l’officine",
                hook="Les erreurs médicamenteuses et la polymédication sont responsables de nombreuses hospitalisations évitables chez les personnes âgées.",
                pitch="{name} outille les pharmaciens d’officine pour réaliser des bilans de médication et des conciliations en lien avec l’hôpital et le médecin traitant.",
                problem="Une personne de plus de 75 ans prend en moyenne sept à dix médicaments par jour. Les interactions, les doublons et les médicaments devenus inutiles provoquent chutes, confusions et hospitalisations. Les transitions entre l’hôpital et la ville sont des moments particulièrement risqués : un traitement arrêté à l’hôpital est parfois repris à domicile, faute d’information partagée.",
                solution="{name} fournit aux pharmaciens d’officine un outil de bilan partagé de médication : récupération de l’historique de délivrance, détection automatique des interactions et des médicaments potentiellement inappropriés chez la personne âgée, proposition argumentée transmise au médecin traitant par messagerie sécurisée. À la sortie d’hospitalisation, la liste des traitements est comparée automatiquement à celle de la ville.",
                target=0,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Moins de médicaments gaspillés, des délivrances ajustées aux besoins",
                hook="Chaque année, des tonnes de médicaments non utilisés sont détruites alors qu’une partie n’aurait jamais dû être délivrée.",
                pitch="{name} aide les pharmacies à ajuster les délivrances aux besoins réels des patients et à réduire le gaspillage de médicaments.",
                problem="Une part importante des médicaments délivrés n’est jamais consommée : traitements arrêtés, conditionnements inadaptés, renouvellements automatiques. Ces médicaments représentent un coût pour l’Assurance maladie et une pollution lorsqu’ils ne sont pas rapportés en pharmacie. Certains finissent dans les eaux usées, avec des effets documentés sur les milieux aquatiques.",
                solution="{name} aide les pharmacies à ajuster les délivrances aux besoins réels : questionnaire au renouvellement, délivrance à l’unité quand elle est autorisée, alertes sur les traitements stockés à domicile. Les médicaments rapportés sont triés, et les données agrégées sont partagées avec les prescripteurs pour faire évoluer les pratiques. Le modèle économique repose sur une partie des économies générées pour l’Assurance maladie.",
                target=1,
                users="patients",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Un pilulier simple et réparable, suivi par le pharmacien",
                hook="La mauvaise observance des traitements chroniques est fréquente et reste souvent invisible pour le pharmacien comme pour le médecin.",
                pitch="{name} associe un pilulier lumineux, sans écran ni smartphone, à un suivi de l’observance par le pharmacien.",
                problem="La mauvaise observance des traitements chroniques est fréquente : oublis, doutes sur l’utilité du traitement, effets indésirables non signalés. Elle est responsable d’une part importante des échecs thérapeutiques, sans que le pharmacien ou le médecin en soient informés. Les piluliers connectés du marché sont chers, complexes et rarement accompagnés d’un suivi humain.",
                solution="Le pilulier {name} est un boîtier simple, sans écran, qui s’allume à l’heure de la prise et signale les oublis. Le pharmacien prépare les piluliers chaque semaine et reçoit un relevé d’observance ; en cas d’oublis répétés, il appelle le patient pour en comprendre la raison. Le boîtier est réparable, fonctionne sur piles rechargeables et n’a besoin d’aucun smartphone.",
                target=1,
                users="patients",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Le bon usage des antibiotiques en médecine de ville",
                hook="La France reste l’un des pays européens qui consomment le plus d’antibiotiques, ce qui favorise l’antibiorésistance.",
                pitch="{name} aide les médecins et les pharmaciens à prescrire et à délivrer les antibiotiques au plus juste, grâce aux tests rapides et à un retour personnalisé sur leurs pratiques.",
                problem="La France figure parmi les pays européens qui consomment le plus d’antibiotiques, et une part importante des prescriptions en ville concerne des infections virales pour lesquelles ils sont inutiles. Cette surconsommation favorise l’apparition de bactéries résistantes, responsables de milliers de décès chaque année en Europe. Les tests rapides existent mais restent peu utilisés, et les médecins ont rarement un retour sur leurs propres pratiques.",
                solution="{name} intègre au logiciel du médecin une aide à la prescription fondée sur les recommandations nationales, qui propose le test rapide adapté avant toute prescription. En pharmacie, les patients peuvent réaliser un test d’angine et repartir avec un traitement uniquement si nécessaire. Chaque trimestre, les médecins reçoivent un retour anonymisé comparant leurs prescriptions à celles de leurs confrères du territoire, avec des pistes d’amélioration.",
                target=2,
                users="médecins",
                medical_device=True,
                health_data=True,
            ),
        ),
    ),
    Theme(
        key="aidants",
        categories=("equite", "durabilite", "souverainete"),
        odd=("odd3", "odd5", "odd10"),
        partners=(
            "la plateforme d’accompagnement et de répit du département",
            "un service d’aide à domicile associatif",
            "le centre communal d’action sociale {de_city}",
        ),
        names=(
            "Relais Aidants", "Tandem Aidants", "Aidéo", "Répit Facile", "Entr’Aidants",
            "Épaule Santé", "Cercle des Aidants",
        ),
        targets=(
            "Aidants de personnes âgées, malades ou en situation de handicap, y compris les jeunes aidants et les aidants salariés. Les plateformes d’accompagnement et de répit, les services d’aide à domicile et les collectivités sont les partenaires de déploiement.",
            "Personnes en perte d’autonomie vivant à domicile, leurs aidants familiaux et les professionnels qui interviennent chez elles : infirmiers libéraux, services d’aide à domicile, médecins traitants.",
        ),
        angles=(
            Angle(
                title="Trouver du répit et se former quand on aide un proche",
                hook="Plus de neuf millions de personnes accompagnent un proche malade, âgé ou en situation de handicap, souvent au détriment de leur propre santé.",
                pitch="{name} aide les aidants à trouver des solutions de répit disponibles près de chez eux et à se former, avec un conseiller joignable par téléphone.",
                problem="Les aidants consacrent en moyenne plusieurs heures par jour à leur proche, en plus de leur travail et de leur vie de famille. Beaucoup ne se reconnaissent pas comme aidants et ignorent les aides existantes : plateformes de répit, congé de proche aidant, accueil de jour. L’épuisement conduit à des problèmes de santé, à l’isolement et parfois à l’hospitalisation en urgence de la personne aidée.",
                solution="{name} recense les solutions de répit et d’aide disponibles sur le territoire (accueil de jour, hébergement temporaire, relais à domicile, groupes de parole), avec les disponibilités en temps réel et les démarches de financement. Un conseiller joignable par téléphone accompagne les aidants qui ne sont pas à l’aise avec le numérique. Des modules de formation courts (transferts, troubles du comportement, droits) sont proposés en ligne et en atelier.",
                target=0,
                users="aidants",
                medical_device=False,
                health_data=False,
            ),
            Angle(
                title="Un carnet de liaison partagé autour d’une personne en perte d’autonomie",
                hook="Autour d’une personne en perte d’autonomie, les intervenants se coordonnent encore par carnets papier et messages éparpillés.",
                pitch="{name} est un carnet de liaison partagé entre l’aidant, la famille et les professionnels qui interviennent à domicile.",
                problem="Autour d’une personne en perte d’autonomie gravitent de nombreux intervenants : infirmiers, aides à domicile, kinésithérapeute, famille, voisins. Les informations circulent par téléphone, sur des carnets papier ou dans des groupes de messagerie personnels, avec des oublis, des doublons et des tensions. L’aidant principal porte seul la charge mentale de cette coordination.",
                solution="{name} est un carnet de liaison partagé entre l’aidant, la famille et les professionnels qui interviennent à domicile : planning des passages, consignes, transmissions, alertes. Les droits d’accès sont définis par la personne aidée ou son représentant, et les informations de santé sont stockées chez un hébergeur certifié HDS. Une version papier synchronisée existe pour les intervenants sans smartphone.",
                target=1,
                users="familles",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Repérer l’épuisement des aidants en médecine générale",
                hook="L’épuisement des aidants est une cause majeure d’hospitalisation en urgence des personnes qu’ils accompagnent.",
                pitch="{name} permet aux médecins généralistes de repérer l’épuisement des aidants en cinq questions et de les orienter vers les bonnes ressources.",
                problem="Les médecins généralistes voient régulièrement des aidants épuisés, mais en consultation l’attention se porte sur la personne malade. Il n’existe pas d’outil simple pour repérer le fardeau de l’aidant, et les ressources locales (plateformes de répit, groupes de parole) sont mal connues des professionnels.",
                solution="{name} propose aux médecins généralistes un questionnaire de repérage en cinq questions, intégré à leur logiciel, et un annuaire des ressources locales pour les aidants. Lorsqu’un épuisement est repéré, l’aidant est rappelé par une professionnelle de la plateforme de répit la plus proche, qui construit avec lui un plan d’aide.",
                target=0,
                users="aidants",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Repérer et soutenir les jeunes aidants",
                hook="Des centaines de milliers de jeunes de moins de 25 ans s’occupent d’un parent malade ou handicapé, souvent sans que personne ne le sache.",
                pitch="{name} aide les établissements scolaires à repérer les jeunes aidants et à leur proposer un soutien adapté.",
                problem="De nombreux collégiens, lycéens et étudiants s’occupent au quotidien d’un parent ou d’un frère malade, handicapé ou dépendant. Ces jeunes aidants cumulent fatigue, retards scolaires et isolement, mais ils ne se reconnaissent pas comme aidants et n’en parlent pas. Les enseignants, les infirmières scolaires et les travailleurs sociaux manquent de repères pour les identifier et de ressources vers lesquelles les orienter.",
                solution="{name} propose aux établissements scolaires un court questionnaire anonyme et des modules de sensibilisation pour les équipes éducatives. Les jeunes repérés accèdent à un espace d’échange modéré par des professionnels, à des séjours de répit et à un accompagnement scolaire, en lien avec les services sociaux. Les données restent dans l’établissement, et aucune information n’est transmise aux familles sans l’accord du jeune.",
                target=0,
                users="jeunes",
                medical_device=False,
                health_data=False,
            ),
        ),
    ),
    Theme(
        key="reeducation",
        categories=("durabilite", "equite", "souverainete"),
        odd=("odd3",),
        partners=(
            "un réseau de cabinets de kinésithérapie de la région",
            "un service de soins médicaux et de réadaptation {de_city}",
            "une clinique privée {de_city}",
        ),
        names=(
            "Rééduca", "Motrisanté", "Kinéo Maison", "Mouvéo", "Articula", "Équilibre Plus",
            "Pas de Côté Santé",
        ),
        targets=(
            "Patients opérés d’une prothèse de hanche ou de genou, patients en rééducation après un AVC et personnes âgées à risque de chute, ainsi que les masseurs-kinésithérapeutes libéraux et les services de soins médicaux et de réadaptation.",
            "Adultes souffrant de lombalgie chronique, salariés en arrêt de travail ou à risque de l’être, médecins traitants, kinésithérapeutes et services de prévention et de santé au travail.",
        ),
        angles=(
            Angle(
                title="Rééducation guidée à domicile après une prothèse de genou ou de hanche",
                hook="Après une opération orthopédique, la rééducation conditionne la récupération, mais les kinésithérapeutes manquent dans de nombreux territoires.",
                pitch="{name} permet au kinésithérapeute de prescrire et d’ajuster à distance un programme d’exercices filmés, suivi par le patient à domicile.",
                problem="Après la pose d’une prothèse de genou ou de hanche, la rééducation conditionne la récupération. Or les délais pour obtenir des séances de kinésithérapie atteignent plusieurs semaines dans certains territoires, et les exercices à faire seul à domicile sont mal réalisés ou abandonnés. Les patients récupèrent moins bien et plus lentement.",
                solution="{name} permet au kinésithérapeute de composer un programme d’exercices personnalisé à partir d’une bibliothèque de vidéos courtes, et de le faire évoluer chaque semaine. Le patient suit les exercices sur une tablette ou un téléviseur, sans capteur ; il note sa douleur et sa difficulté, et le kinésithérapeute ajuste à distance entre deux séances en cabinet. Les vidéos sont téléchargées une fois et fonctionnent sans connexion.",
                target=0,
                users="patients",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Continuer la rééducation après un AVC, à la maison",
                hook="Après un AVC, la récupération dépend de l’intensité de la rééducation, qui chute brutalement au retour à domicile.",
                pitch="{name} propose des exercices ludiques adaptés aux troubles moteurs et cognitifs après un AVC, suivis à distance par l’équipe de rééducation.",
                problem="Après un accident vasculaire cérébral, la récupération dépend de l’intensité de la rééducation dans les mois qui suivent. Une fois sortis du centre de rééducation, de nombreux patients n’ont que deux ou trois séances par semaine, bien en dessous de ce qui serait utile, et perdent une partie des progrès accomplis.",
                solution="Le programme {name} s’appuie sur des exercices ludiques adaptés aux troubles moteurs et cognitifs après un AVC, réalisables avec un simple ordinateur ou une tablette. L’intensité augmente progressivement selon les performances, et l’équipe de rééducation reçoit un suivi hebdomadaire. Un proche peut être associé aux séances pour maintenir la motivation.",
                target=0,
                users="patients",
                medical_device=True,
                health_data=True,
            ),
            Angle(
                title="Un programme de douze semaines contre la lombalgie chronique",
                hook="La lombalgie chronique est l’une des premières causes d’arrêt de travail en France.",
                pitch="{name} combine exercices progressifs, éducation sur la douleur et points réguliers avec un kinésithérapeute pour sortir de la lombalgie chronique.",
                problem="La lombalgie chronique touche des millions de personnes et entraîne des arrêts de travail longs. Les recommandations placent l’activité physique et l’éducation au premier plan, mais les patients reçoivent encore surtout des traitements passifs. Les programmes d’exercices existants sont génériques et peu suivis dans la durée.",
                solution="{name} propose un programme de douze semaines contre la lombalgie chronique, construit avec des kinésithérapeutes et des médecins du travail : exercices progressifs, éducation sur la douleur, conseils d’ergonomie. Un kinésithérapeute réalise un bilan initial puis des points réguliers en visio, et les entreprises peuvent proposer le programme à leurs salariés.",
                target=1,
                users="patients",
                medical_device=False,
                health_data=True,
            ),
            Angle(
                title="Prévenir les chutes des personnes âgées par des exercices d’équilibre guidés",
                hook="Une personne de plus de 65 ans sur trois chute chaque année, et la moitié d’entre elles chutent de nouveau dans l’année.",
                pitch="{name} propose des programmes d’exercices d’équilibre sur le téléviseur du salon, avec des séances collectives en visio animées par des kinésithérapeutes.",
                problem="Les chutes sont la première cause de décès accidentel chez les plus de 65 ans et un facteur majeur d’entrée en EHPAD. Les programmes d’exercices d’équilibre réduisent nettement le risque, mais ils sont peu accessibles : ateliers complets, trajets impossibles pour les personnes qui ont déjà chuté, absence de suivi dans la durée. Beaucoup de personnes âgées limitent alors leurs déplacements, ce qui accélère la perte de force et d’équilibre.",
                solution="{name} diffuse sur le téléviseur du salon, grâce à un petit boîtier, des séances d’exercices d’équilibre et de renforcement adaptées au niveau de chacun. Deux fois par semaine, un kinésithérapeute anime une séance collective en visio et ajuste le programme. Le boîtier fonctionne sans ordinateur ni smartphone, et un test d’équilibre mensuel permet de suivre les progrès et d’alerter le médecin traitant si le risque augmente.",
                target=0,
                users="personnes",
                medical_device=False,
                health_data=True,
            ),
        ),
    ),
)

#: Neutral names used once every theme's own names are taken (large counts only).
GENERIC_NAMES: tuple[str, ...] = (
    "Alliance Soins", "Santé Partagée", "Horizon Soin", "Trait d’Union Santé", "Proxima Soins",
    "Ensemble Santé", "Nova Soin", "Arpège Santé", "Osmose Santé", "Boréal Santé", "Azimut Santé",
    "Lumio Santé", "Ovalie Santé", "Cap Soin", "Tisserand Santé",
)

#: (city, region phrase usable after a comma or at the end of a sentence)
CITIES: tuple[tuple[str, str], ...] = (
    ("Lyon", "en Auvergne-Rhône-Alpes"),
    ("Grenoble", "en Auvergne-Rhône-Alpes"),
    ("Clermont-Ferrand", "en Auvergne-Rhône-Alpes"),
    ("Saint-Étienne", "en Auvergne-Rhône-Alpes"),
    ("Nantes", "dans les Pays de la Loire"),
    ("Angers", "dans les Pays de la Loire"),
    ("Rennes", "en Bretagne"),
    ("Brest", "en Bretagne"),
    ("Quimper", "en Bretagne"),
    ("Lille", "dans les Hauts-de-France"),
    ("Amiens", "dans les Hauts-de-France"),
    ("Bordeaux", "en Nouvelle-Aquitaine"),
    ("Poitiers", "en Nouvelle-Aquitaine"),
    ("Limoges", "en Nouvelle-Aquitaine"),
    ("Pau", "en Nouvelle-Aquitaine"),
    ("Montpellier", "en Occitanie"),
    ("Toulouse", "en Occitanie"),
    ("Perpignan", "en Occitanie"),
    ("Strasbourg", "dans le Grand Est"),
    ("Nancy", "dans le Grand Est"),
    ("Reims", "dans le Grand Est"),
    ("Marseille", "en Provence-Alpes-Côte d’Azur"),
    ("Nice", "en Provence-Alpes-Côte d’Azur"),
    ("Paris", "en Île-de-France"),
    ("Tours", "en Centre-Val de Loire"),
    ("Orléans", "en Centre-Val de Loire"),
    ("Dijon", "en Bourgogne-Franche-Comté"),
    ("Besançon", "en Bourgogne-Franche-Comté"),
    ("Rouen", "en Normandie"),
    ("Caen", "en Normandie"),
    ("Ajaccio", "en Corse"),
    ("Fort-de-France", "en Martinique"),
)

FIRST_NAMES_F: tuple[str, ...] = (
    "Camille", "Léa", "Manon", "Inès", "Chloé", "Sarah", "Aïcha", "Fatoumata", "Yasmine", "Hélène",
    "Nathalie", "Julie", "Émilie", "Marion", "Pauline", "Anaïs", "Amandine", "Lina", "Mélanie",
    "Nour", "Awa", "Zoé", "Louise", "Maëlle", "Gwenaëlle", "Soizic", "Agathe", "Mathilde",
    "Clémence", "Leïla", "Samia", "Linh", "Mei", "Océane", "Rachida", "Ophélie",
)
FIRST_NAMES_M: tuple[str, ...] = (
    "Nicolas", "Karim", "Yanis", "Mamadou", "Antoine", "Maxime", "Hugo", "Lucas", "Romain",
    "Guillaume", "Sébastien", "Jérôme", "Bastien", "Théo", "Malik", "Sofiane", "Kévin", "Ousmane",
    "Loïc", "Erwan", "Yann", "Gaëtan", "Benoît", "François", "Raphaël", "Adrien", "Minh", "Rémi",
    "Alexandre", "Pierre", "Étienne", "Cédric", "Amine", "Florian", "Grégoire", "Stéphane",
)
LAST_NAMES: tuple[str, ...] = (
    "Martin", "Bernard", "Dubois", "Durand", "Lefèvre", "Moreau", "Laurent", "Simon", "Michel",
    "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau",
    "Muller", "Leroy", "Chevalier", "Faure", "Mercier", "Blanc", "Boyer", "Garnier", "Chauvin",
    "Perrin", "Morel", "Giraud", "Benali", "Nguyen", "Traoré", "Diallo", "Ben Amor", "Da Silva",
    "Pereira", "Kowalski", "Le Goff", "Le Gall", "Kerbrat", "Tanguy", "Riou", "Caron", "Lemaire",
    "Barbier", "Renaud", "Rey", "Schmitt", "Meyer", "Collin", "Hoarau", "Payet", "Cissé", "Mendy",
    "Ouedraogo", "Zhang", "Okafor", "Dumas", "Aubert", "Lacroix", "Delmas", "Arnaud", "Vidal",
    "Ferrand", "Huet", "Benhamou", "Santos", "Hamidi", "Lopez",
)

#: (masculine, feminine) role titles
LEAD_ROLES: tuple[tuple[str, str], ...] = (
    ("Président et cofondateur", "Présidente et cofondatrice"),
    ("Directeur général et cofondateur", "Directrice générale et cofondatrice"),
    ("CEO et cofondateur", "CEO et cofondatrice"),
)
SOLE_ROLES: tuple[tuple[str, str], ...] = (
    ("Président et fondateur", "Présidente et fondatrice"),
    ("Fondateur et dirigeant", "Fondatrice et dirigeante"),
)
TEAM_ROLES: tuple[tuple[str, str], ...] = (
    ("Directeur technique (CTO), cofondateur", "Directrice technique (CTO), cofondatrice"),
    ("Directeur médical, cofondateur", "Directrice médicale, cofondatrice"),
    ("Responsable produit, cofondateur", "Responsable produit, cofondatrice"),
    ("Directeur des opérations, cofondateur", "Directrice des opérations, cofondatrice"),
    ("Responsable données et conformité", "Responsable données et conformité"),
    ("Infirmier coordinateur, cofondateur", "Infirmière coordinatrice, cofondatrice"),
    ("Pharmacien, cofondateur", "Pharmacienne, cofondatrice"),
    ("Médecin généraliste, cofondateur", "Médecin généraliste, cofondatrice"),
    ("Responsable du développement, cofondateur", "Responsable du développement, cofondatrice"),
)

#: Second part of the "problème" answer. Placeholders: {Region}, {k}.
CONSEQUENCES: tuple[str, ...] = (
    "{Region}, les professionnels que nous avons rencontrés décrivent tous la même situation : des patients perdus entre plusieurs interlocuteurs et des équipes qui manquent de temps pour les accompagner.",
    "Ce problème coûte cher à la collectivité, mais il coûte d’abord aux personnes concernées : perte de chance, renoncement aux soins et sentiment d’abandon.",
    "Les inégalités sociales et territoriales de santé aggravent encore la situation : les personnes les plus fragiles sont aussi celles qui ont le moins accès aux solutions existantes.",
    "Nous avons mené {k} entretiens avec des patients, des aidants et des soignants : la plupart citent ce problème parmi les trois premières difficultés de leur quotidien.",
    "Les solutions existantes répondent mal à ce besoin : elles sont coûteuses, peu interopérables avec les outils des soignants, ou conçues sans les personnes concernées.",
    "La crise sanitaire a mis ce sujet en lumière, mais peu de réponses durables ont été déployées depuis.",
)

#: Third part of the "solution" answer, by category. Sovereignty is split: the first
#: sentences assume health data, the "open" ones hold for any project.
DIFFERENTIATORS: dict[str, tuple[str, ...]] = {
    "equite": (
        "La solution a été conçue avec des patients partenaires et testée auprès de personnes peu à l’aise avec le numérique ; elle respecte le RGAA et reste utilisable par téléphone pour celles et ceux qui n’ont pas de smartphone.",
        "Le service est gratuit pour les patients, sans avance de frais, et disponible en plusieurs langues ; des médiateurs en santé accompagnent les personnes éloignées du soin lors de la première utilisation.",
        "Nous mesurons l’usage par tranche d’âge, niveau de revenu et lieu de résidence, afin de vérifier que la solution profite d’abord à celles et ceux qui en ont le plus besoin.",
        "Les interfaces sont rédigées en langage clair et ont été relues par des personnes en situation de handicap ; un mode simplifié et une version audio sont disponibles.",
    ),
    "souverainete": (
        "Les données de santé sont hébergées en France chez un hébergeur certifié HDS, soumis uniquement au droit européen ; aucune donnée n’est transférée hors de l’Union européenne, y compris pour la maintenance.",
        "Le chiffrement des données, leur pseudonymisation et la traçabilité des accès ont été validés par notre délégué à la protection des données ; l’analyse d’impact (AIPD) est publiée en version résumée.",
        "Les patients gardent la main sur leurs données : consentement granulaire, export en un clic et suppression effective à la fin du suivi, le tout hébergé en France chez un hébergeur certifié HDS.",
    ),
    "souverainete_open": (
        "L’architecture repose sur des briques open source et des standards ouverts, ce qui évite toute dépendance à un fournisseur unique et permet à chaque client de récupérer ses données à tout moment.",
        "Tous nos services sont opérés par des prestataires européens, avec une clause de réversibilité complète et un code source déposé sous séquestre.",
    ),
    "durabilite": (
        "Le service a été écoconçu : pages légères, fonctionnement sur des équipements anciens, pas de vidéo en lecture automatique, et une empreinte carbone mesurée et publiée chaque année.",
        "Nous privilégions le matériel existant et reconditionné ; lorsque nous fournissons des objets, ils sont réparables, garantis cinq ans et repris en fin de vie par une filière agréée.",
        "Le modèle économique vise l’équilibre sans dépendre des subventions, avec une tarification adaptée à la taille des structures et un partage de la valeur avec les soignants.",
        "Les calculs sont dimensionnés au plus juste : traitements locaux quand c’est possible, serveurs mutualisés alimentés en électricité bas carbone, données conservées uniquement le temps nécessaire.",
    ),
    "coup_de_coeur": (
        "Le projet est né de l’expérience personnelle d’un membre de l’équipe, confronté à ce parcours comme aidant ; cette histoire guide encore chacune de nos décisions.",
        "Nous avons choisi le statut d’entreprise à mission, avec un comité de mission qui réunit des patients, des soignants et des élus locaux.",
        "Au-delà de l’outil, le projet a fédéré une communauté de plus de deux cents bénévoles, patients et soignants, qui font vivre le service sur le terrain.",
    ),
}


#: Fourth part of the "solution" answer, by maturity code.
#: Placeholders: {partner}, {n}, {users}, {months}, {since}.
MATURITY_SENTENCES: dict[str, tuple[str, ...]] = {
    "idee": (
        "Le projet est au stade de l’idée : nous avons conduit une étude des besoins auprès de {n} {users} et de leurs soignants, et une maquette interactive est en cours de test.",
        "Nous finalisons les spécifications avec un comité d’usagers et de soignants, et prévoyons un premier terrain d’expérimentation avec {partner} l’an prochain.",
    ),
    "prototype": (
        "Un prototype fonctionnel a été testé pendant {months} mois auprès de {n} {users}, avec {partner} ; leurs retours nous ont conduits à simplifier fortement le parcours.",
        "Le prototype est prêt et une étude d’usage auprès de {n} {users} est programmée avec {partner}, avant un pilote à plus grande échelle.",
    ),
    "pilote": (
        "Un pilote est en cours depuis {months} mois avec {partner}, auprès de {n} {users} ; les premiers résultats seront présentés au jury de la finale.",
        "L’expérimentation menée avec {partner} a inclus {n} {users} ; elle montre une forte adhésion des usagers et des équipes, et une évaluation médico-économique est en cours.",
    ),
    "commercialise": (
        "La solution est commercialisée depuis {since} ; elle touche aujourd’hui {n} {users}, notamment avec {partner}.",
        "Depuis son lancement commercial en {since}, la solution a été adoptée par de nombreuses structures, dont {partner}, et accompagne {n} {users} ; le taux de renouvellement des contrats dépasse 90 %.",
    ),
}

#: Third sentence of the summary, by maturity code. Placeholders: {region}.
SUMMARY_MATURITY: dict[str, str] = {
    "idee": "Le projet en est au stade de l’idée et cherche ses premiers partenaires {region}.",
    "prototype": "Un prototype est en test {region}.",
    "pilote": "Un pilote est en cours {region}.",
    "commercialise": "La solution est déjà commercialisée {region}.",
}

#: Second part of the "public cible" answer. Placeholders: {region}, {pop}.
TARGET_EXTRAS: tuple[str, ...] = (
    "Sur notre premier territoire de déploiement, {region}, nous estimons ce public à environ {pop} personnes.",
    "Nous portons une attention particulière aux personnes éloignées du numérique, qui représentaient près d’un tiers des usagers lors de nos premiers tests.",
    "Les familles et les aidants sont associés dès la conception : ils sont souvent les premiers utilisateurs du service.",
    "Le service est pensé pour un déploiement national, mais nous commençons {region} avec des partenaires déjà engagés.",
)

#: Sentences added to the "solution" answer of medical-device projects.
CE_MARKED = "Le logiciel est un dispositif médical marqué CE (classe IIa)."
CE_PENDING = "La démarche de marquage CE comme dispositif médical de classe IIa est engagée avec un organisme notifié."


# --------------------------------------------------------------------------- scoring grids

#: key, name_fr, name_en, description_fr, description_en, weight, allows_na, then six
#: (descriptor_fr, descriptor_en) pairs from "absent" to "exemplary".
CriterionRow = tuple[str, str, str, str, str, int, bool, tuple[tuple[str, str], ...]]

CRITERIA_ROUND_1: tuple[CriterionRow, ...] = (
    (
        "impact_besoin", "Impact santé et besoin", "Health impact and need",
        "Le projet répond-il à un besoin de santé réel, documenté et important ? Quel bénéfice est attendu pour les patients et pour le système de soins ?",
        "Does the project address a real, documented and significant health need? What benefit is expected for patients and for the care system?",
        25, False,
        (
            ("aucun besoin de santé identifié", "no health need identified"),
            ("besoin affirmé sans élément de preuve", "need asserted without evidence"),
            ("besoin plausible mais peu documenté", "plausible but poorly documented need"),
            ("besoin documenté, bénéfice attendu décrit", "documented need, expected benefit described"),
            ("besoin chiffré, bénéfice mesuré sur un premier terrain", "quantified need, benefit measured in a first setting"),
            ("bénéfice démontré, indicateurs de santé suivis", "proven benefit, health outcomes tracked"),
        ),
    ),
    (
        "innovation", "Caractère innovant", "Innovation",
        "Qu’apporte le projet par rapport à l’existant : usage, organisation des soins, technologie ou modèle économique ?",
        "What does the project bring compared with existing solutions: use, organisation of care, technology or business model?",
        20, False,
        (
            ("reproduit l’existant sans apport", "copies existing solutions, adds nothing"),
            ("amélioration marginale de l’existant", "marginal improvement on existing solutions"),
            ("nouveauté limitée à un usage ou à un public", "novelty limited to one use or one group"),
            ("approche nouvelle sur un point clé", "new approach on a key point"),
            ("innovation claire d’usage, d’organisation ou de technologie", "clear innovation in use, organisation or technology"),
            ("rupture qui change la prise en charge", "breakthrough that changes how care is delivered"),
        ),
    ),
    (
        "equite_accessibilite", "Équité et accessibilité", "Equity and accessibility",
        "La solution est-elle accessible à toutes et à tous, y compris aux personnes éloignées du soin ou du numérique, en situation de handicap ou vivant en zone sous-dotée ?",
        "Is the solution accessible to everyone, including people far from care or from digital tools, people with disabilities and people living in underserved areas?",
        15, False,
        (
            ("aucune prise en compte", "not considered at all"),
            ("mentionnée sans mesure concrète", "mentioned without concrete measures"),
            ("quelques mesures (langage clair, gratuité)", "a few measures (plain language, free of charge)"),
            ("conçue avec des publics fragiles, RGAA partiel", "designed with vulnerable users, partial RGAA compliance"),
            ("RGAA respecté et alternatives non numériques", "RGAA compliant, with non-digital alternatives"),
            ("réduit de façon mesurée les inégalités d’accès", "measurably reduces inequalities in access"),
        ),
    ),
    (
        "souverainete_donnees", "Souveraineté et protection des données", "Sovereignty and data protection",
        "Hébergement certifié HDS en France ou dans l’Union européenne, maîtrise des données, conformité au RGPD, réversibilité. Cocher N/A si le projet ne traite aucune donnée de santé.",
        "Certified health-data hosting (HDS) in France or the European Union, control over data, GDPR compliance, reversibility. Tick N/A when the project processes no health data.",
        15, True,
        (
            ("données hors UE sans garanties", "data outside the EU without safeguards"),
            ("conformité RGPD seulement déclarée", "GDPR compliance only claimed"),
            ("hébergement dans l’UE, contrats à clarifier", "EU hosting, contracts to be clarified"),
            ("hébergeur certifié HDS, AIPD réalisée", "certified HDS host, DPIA carried out"),
            ("HDS en France, chiffrement et réversibilité", "HDS in France, encryption and reversibility"),
            ("maîtrise complète, standards ouverts, audits réguliers", "full control, open standards, regular audits"),
        ),
    ),
    (
        "sobriete_durabilite", "Sobriété et durabilité", "Sobriety and sustainability",
        "Empreinte environnementale du service (matériel, calcul, données) et pérennité du modèle économique.",
        "Environmental footprint of the service (hardware, computing, data) and durability of the business model.",
        10, False,
        (
            ("aucune réflexion environnementale", "no environmental thinking"),
            ("intentions générales seulement", "general intentions only"),
            ("quelques choix sobres identifiés", "a few sober choices identified"),
            ("écoconception engagée, matériel existant réutilisé", "eco-design under way, existing hardware reused"),
            ("empreinte mesurée et plan de réduction", "footprint measured, reduction plan in place"),
            ("empreinte publiée et en baisse, modèle pérenne", "footprint published and falling, lasting model"),
        ),
    ),
    (
        "equipe_faisabilite", "Équipe et faisabilité", "Team and feasibility",
        "L’équipe réunit-elle les compétences nécessaires (santé, technique, réglementaire, commerciale) ? Le plan de déploiement et son financement sont-ils réalistes ?",
        "Does the team bring together the skills needed (health, technical, regulatory, business)? Are the roll-out plan and its funding realistic?",
        15, False,
        (
            ("équipe ou plan absents", "no team or no plan"),
            ("équipe incomplète, plan flou", "incomplete team, vague plan"),
            ("compétences clés manquantes", "key skills missing"),
            ("équipe complète, plan réaliste", "complete team, realistic plan"),
            ("partenaires engagés, financement identifié", "committed partners, funding identified"),
            ("équipe éprouvée, déploiement sécurisé", "proven team, secured roll-out"),
        ),
    ),
)

CRITERIA_ROUND_2: tuple[CriterionRow, ...] = (
    (
        "impact_demontre", "Impact démontré", "Demonstrated impact",
        "Résultats obtenus sur le terrain : indicateurs de santé, usage réel, satisfaction des patients et des soignants.",
        "Results achieved in the field: health outcomes, actual use, satisfaction of patients and care professionals.",
        30, False,
        (
            ("aucun résultat présenté", "no results presented"),
            ("quelques témoignages isolés", "a few isolated testimonials"),
            ("indicateurs d’usage sans résultat de santé", "usage figures but no health outcomes"),
            ("premiers résultats de santé sur un pilote", "first health outcomes from a pilot"),
            ("résultats mesurés sur plusieurs sites", "outcomes measured across several sites"),
            ("évaluation rigoureuse, publiée ou soumise", "rigorous evaluation, published or submitted"),
        ),
    ),
    (
        "passage_echelle", "Modèle économique et passage à l’échelle", "Business model and scale-up",
        "Le projet peut-il se financer durablement et se déployer au-delà de son premier territoire ?",
        "Can the project fund itself over time and spread beyond its first territory?",
        20, False,
        (
            ("aucun modèle économique", "no business model"),
            ("modèle dépendant des subventions", "model relying on grants"),
            ("clients identifiés, prix non validé", "customers identified, price not validated"),
            ("premiers revenus récurrents", "first recurring revenue"),
            ("financement de droit commun ou contrats pluriannuels", "standard reimbursement or multi-year contracts"),
            ("modèle rentable, déploiement national engagé", "profitable model, national roll-out under way"),
        ),
    ),
    (
        "engagements", "Engagements équité, souveraineté et durabilité", "Equity, sovereignty and sustainability commitments",
        "Engagements concrets et vérifiables du projet sur les trois valeurs du prix.",
        "Concrete, verifiable commitments of the project on the three values of the award.",
        25, False,
        (
            ("aucun engagement", "no commitment"),
            ("engagements seulement déclaratifs", "commitments only stated"),
            ("engagements concrets sur un des trois axes", "concrete commitments on one of the three values"),
            ("engagements concrets sur deux axes", "concrete commitments on two values"),
            ("engagements mesurés sur les trois axes", "measured commitments on all three values"),
            ("engagements vérifiés et publiés", "verified and published commitments"),
        ),
    ),
    (
        "equipe_pitch", "Équipe et qualité de la présentation", "Team and pitch quality",
        "Clarté du pitch, qualité des réponses aux questions du jury, complémentarité de l’équipe.",
        "Clarity of the pitch, quality of the answers to the jury’s questions, complementarity of the team.",
        15, False,
        (
            ("présentation confuse", "confusing presentation"),
            ("message peu clair", "unclear message"),
            ("message clair, réponses fragiles", "clear message, weak answers"),
            ("présentation claire, bonnes réponses", "clear presentation, good answers"),
            ("équipe convaincante et complémentaire", "convincing, complementary team"),
            ("équipe remarquable, vision partagée", "outstanding team with a shared vision"),
        ),
    ),
    (
        "coherence_prix", "Adéquation à la catégorie", "Fit with the category",
        "Le projet incarne-t-il la catégorie dans laquelle il concourt ?",
        "Does the project embody the category it competes in?",
        10, False,
        (
            ("hors sujet", "off topic"),
            ("lien ténu avec la catégorie", "tenuous link with the category"),
            ("lien réel mais secondaire", "real but secondary link"),
            ("bonne adéquation", "good fit"),
            ("projet emblématique de la catégorie", "flagship project for the category"),
            ("référence pour la catégorie", "benchmark for the category"),
        ),
    ),
)


# --------------------------------------------------------------------------- fixed dossiers


@dataclass(frozen=True)
class FixedDossier:
    """A hand-written dossier, identical for every seed (it carries a real conflict)."""

    name: str
    legal_form: str
    city: str
    founded: int
    employees: int
    category: str
    title: str
    summary: str
    founders: tuple[tuple[str, str], ...]  # (full name, role title)
    answers: dict[str, str]  # without salaries, annee_creation and site_web (derived)


FIXED_DOSSIERS: tuple[FixedDossier, ...] = (
    FixedDossier(
        name="Médilien",
        legal_form="SAS",
        city="Nantes",
        founded=2019,
        employees=14,
        category="souverainete",
        title="Télésurveillance de l’insuffisance cardiaque, hébergée en France",
        summary="Les patients insuffisants cardiaques décompensent souvent sans que personne ne l’ait vu venir. Médilien relie leurs mesures quotidiennes à une infirmière de coordination, avec des données hébergées en France chez un hébergeur certifié HDS. Un pilote est en cours avec le service de cardiologie du CHU de Nantes.",
        founders=(
            ("Anne-Laure Prigent", "Présidente et cofondatrice, cardiologue"),
            ("Yacine Mansouri", "Directeur technique (CTO), cofondateur"),
            ("Baptiste Le Floch", "Infirmier coordinateur, cofondateur"),
        ),
        answers={
            "probleme": "L’insuffisance cardiaque touche plus d’un million de personnes en France et reste la première cause d’hospitalisation après 65 ans. La moitié des réhospitalisations surviennent dans les trois mois qui suivent une sortie, souvent après une prise de poids ou un essoufflement que personne n’a repérés à temps. Cardiologue au CHU de Nantes pendant huit ans, notre présidente a vu ces patients revenir aux urgences, épuisés, alors que les signes d’alerte étaient présents plusieurs jours avant. Les solutions de télésurveillance du marché hébergent souvent les données hors de l’Union européenne et ne s’intègrent pas au dossier patient de l’hôpital.",
            "solution": "Médilien fournit une balance et un tensiomètre connectés à une box 4G, sans smartphone. Un algorithme validé cliniquement repère les signes de décompensation et alerte l’infirmière de coordination, qui rappelle le patient et ajuste le traitement avec le cardiologue. Toutes les données sont hébergées en France chez un hébergeur certifié HDS, chiffrées et interopérables (FHIR) avec le dossier patient informatisé. Le logiciel est un dispositif médical marqué CE (classe IIa). Un pilote est mené depuis 2023 avec le service de cardiologie du CHU de Nantes auprès de 180 patients ; le Dr Claire Morvan en est l’investigatrice principale.",
            "public_cible": "Patients insuffisants cardiaques de stade II à III après une hospitalisation, en priorité les personnes âgées vivant seules ou loin d’un centre hospitalier. Côté soignants : infirmières de coordination, cardiologues hospitaliers et libéraux, médecins traitants. Sur le territoire du pilote, environ 9 000 patients pourraient bénéficier du dispositif.",
            "maturite": "pilote",
            "hebergement": "hds_france",
            "marquage_ce": "yes",
            "odd": "odd3,odd9",
        },
    ),
    FixedDossier(
        name="Santé Commune",
        legal_form="SCIC",
        city="Angers",
        founded=2020,
        employees=22,
        category="equite",
        title="Des centres de santé participatifs dans les quartiers prioritaires",
        summary="Dans les quartiers prioritaires, un habitant sur cinq n’a pas de médecin traitant. Santé Commune ouvre des centres de santé gérés en coopérative avec les habitants, les soignants et les collectivités, avec des médiatrices en santé et un dossier patient partagé. Trois centres sont déjà ouverts dans les Pays de la Loire.",
        founders=(
            ("Nadège Coulibaly", "Présidente et cofondatrice"),
            ("Hugo Bertrand", "Directeur général, cofondateur"),
            ("Aurélie Masson", "Médecin généraliste, cofondatrice"),
        ),
        answers={
            "probleme": "Dans les quartiers prioritaires de la politique de la ville, la densité de médecins généralistes est deux fois plus faible qu’ailleurs, et près d’un habitant sur cinq n’a pas de médecin traitant. Les maladies chroniques y sont plus fréquentes et diagnostiquées plus tard. Les jeunes médecins hésitent à s’installer seuls dans ces quartiers, faute d’équipe et de soutien administratif, et les habitants se tournent vers les urgences pour des soins courants.",
            "solution": "Santé Commune est une société coopérative d’intérêt collectif qui ouvre et gère des centres de santé où les médecins sont salariés et travaillent en équipe avec des infirmières, des médiatrices en santé et une assistante sociale. Les habitants siègent au conseil d’administration aux côtés des soignants, des collectivités et de la Mutuelle Solidaire Atlantique, sociétaire depuis la création. Un dossier patient partagé, hébergé en France chez un hébergeur certifié HDS, relie les centres, et des ateliers de prévention sont animés avec les associations du quartier. Trois centres sont ouverts depuis 2021 et suivent 7 500 patients.",
            "public_cible": "Habitants des quartiers prioritaires d’Angers, de Nantes et du Mans, en particulier les familles sans médecin traitant, les personnes âgées isolées et les personnes atteintes de maladies chroniques. Les médecins et infirmiers qui souhaitent exercer en équipe dans ces quartiers forment notre second public.",
            "maturite": "commercialise",
            "hebergement": "hds_france",
            "marquage_ce": "no",
            "odd": "odd3,odd10,odd11",
        },
    ),
    FixedDossier(
        name="Kinévia",
        legal_form="SAS",
        city="Rennes",
        founded=2022,
        employees=6,
        category="durabilite",
        title="Rééducation à domicile sobre et guidée après une prothèse de genou",
        summary="Après une prothèse de genou, les séances de kinésithérapie manquent dans de nombreux territoires. Kinévia propose des programmes d’exercices vidéo prescrits par le kinésithérapeute, légers et utilisables hors connexion sur du matériel existant. Un pilote est en cours en Bretagne.",
        founders=(
            ("Maëlys Jégou", "Présidente et cofondatrice, kinésithérapeute"),
            ("Samir Belhadj", "Directeur technique (CTO), cofondateur"),
        ),
        answers={
            "probleme": "Chaque année, plus de 100 000 prothèses de genou sont posées en France. La rééducation conditionne la récupération, mais les délais pour obtenir des séances de kinésithérapie dépassent trois semaines dans de nombreux territoires bretons. Les exercices à faire seul à domicile sont souvent mal réalisés, par peur de la douleur ou faute de consignes claires, et les patients récupèrent plus lentement. Les applications existantes reposent sur des capteurs coûteux et des vidéos lourdes, inutilisables avec une connexion faible.",
            "solution": "Kinévia permet au kinésithérapeute de composer en quelques minutes un programme d’exercices à partir d’une bibliothèque de vidéos courtes, compressées pour peser moins de 2 Mo chacune. Le patient suit le programme sur une vieille tablette ou un téléviseur, sans capteur ni compte en ligne, et note sa douleur après chaque séance ; le kinésithérapeute ajuste le programme à distance. Les données sont hébergées en France chez un hébergeur certifié HDS. Kinévia est incubée depuis 2023 par Pulse Incubateur Santé, et un pilote est mené avec deux cabinets et une clinique de Rennes auprès de 120 patients. La démarche de marquage CE est en préparation.",
            "public_cible": "Patients opérés d’une prothèse de genou ou de hanche, en priorité ceux qui vivent loin d’un cabinet de kinésithérapie, et les masseurs-kinésithérapeutes libéraux qui les suivent. Les aidants sont associés aux séances quand le patient le souhaite, et les cabinets de kinésithérapie des zones rurales sont nos premiers partenaires. En Bretagne, environ 12 000 patients sont opérés chaque année.",
            "maturite": "pilote",
            "hebergement": "hds_france",
            "marquage_ce": "no",
            "odd": "odd3,odd12",
        },
    ),
    FixedDossier(
        name="NephroCare Lyon",
        legal_form="SAS",
        city="Lyon",
        founded=2018,
        employees=31,
        category="coup_de_coeur",
        title="Dialyse à domicile accompagnée par des patients experts",
        summary="Seuls 7 % des patients dialysés en France le sont à domicile, souvent par manque d’accompagnement. NephroCare Lyon associe un télésuivi des séances et un réseau de patients experts formés, fondé par un patient dialysé pendant douze ans. La solution est déployée dans six centres de néphrologie.",
        founders=(
            ("Thierry Ngo", "Président et cofondateur, patient expert"),
            ("Isabelle Faucher", "Directrice médicale, cofondatrice, néphrologue"),
            ("Kader Benhamou", "Directeur technique (CTO), cofondateur"),
        ),
        answers={
            "probleme": "Plus de 50 000 personnes sont dialysées en France, le plus souvent trois fois par semaine en centre, avec des trajets épuisants et une vie professionnelle difficile à maintenir. La dialyse à domicile offre plus de liberté et de meilleurs résultats, mais seuls 7 % des patients y accèdent. Les patients ont peur d’être seuls face à la machine, et les équipes de néphrologie n’ont pas les moyens de les suivre à distance. Notre président a vécu douze ans de dialyse avant sa greffe : il sait ce que ces séances coûtent à une vie.",
            "solution": "NephroCare Lyon relie les générateurs de dialyse à domicile à une plateforme de télésuivi : chaque séance est transmise à l’équipe de néphrologie, qui reçoit une alerte en cas d’anomalie. Un réseau de patients experts, formés et rémunérés, accompagne les nouveaux patients par téléphone et à domicile pendant les premières semaines. Les données sont hébergées en France chez un hébergeur certifié HDS. Le logiciel est un dispositif médical marqué CE (classe IIa). Armor Santé Capital a mené notre levée d’amorçage en 2022, et la solution est déployée dans six centres de néphrologie auprès de 420 patients.",
            "public_cible": "Patients atteints d’insuffisance rénale chronique terminale éligibles à la dialyse à domicile, leurs aidants, et les équipes de néphrologie des établissements publics et privés. Les patients experts qui accompagnent les nouveaux dialysés forment un troisième public : nous les recrutons, les formons et les rémunérons. Environ 15 000 patients en France pourraient choisir la dialyse à domicile s’ils étaient accompagnés.",
            "maturite": "commercialise",
            "hebergement": "hds_france",
            "marquage_ce": "yes",
            "odd": "odd3,odd10",
        },
    ),
)
