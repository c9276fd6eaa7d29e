"""Phrase tables for the synthetic demo directory: German source plus six translations per phrase."""

from __future__ import annotations

# offer type -> list of (German title, {language: title})
TITLES: dict[str, list[tuple[str, dict[str, str]]]] = {
    "language_course": [
        (
            "Deutschkurs für Anfängerinnen und Anfänger",
            {
                "en": "German course for beginners",
                "ar": "دورة لغة ألمانية للمبتدئين",
                "uk": "Курс німецької мови для початківців",
                "ru": "Курс немецкого языка для начинающих",
                "tr": "Yeni başlayanlar için Almanca kursu",
                "fa": "دوره زبان آلمانی برای مبتدیان",
            },
        ),
        (
            "Sprachcafé",
            {
                "en": "Language café",
                "ar": "مقهى اللغة",
                "uk": "Мовне кафе",
                "ru": "Языковое кафе",
                "tr": "Dil kafesi",
                "fa": "کافه زبان",
            },
        ),
        (
            "Integrationskurs mit Kinderbetreuung",
            {
                "en": "Integration course with childcare",
                "ar": "دورة اندماج مع رعاية الأطفال",
                "uk": "Інтеграційний курс з доглядом за дітьми",
                "ru": "Интеграционный курс с присмотром за детьми",
                "tr": "Çocuk bakımlı uyum kursu",
                "fa": "دوره ادغام همراه با مراقبت از کودک",
            },
        ),
    ],
    "counselling": [
        (
            "Migrationsberatung für Erwachsene",
            {
                "en": "Migration counselling for adults",
                "ar": "استشارات الهجرة للبالغين",
                "uk": "Міграційна консультація для дорослих",
                "ru": "Миграционная консультация для взрослых",
                "tr": "Yetişkinler için göç danışmanlığı",
                "fa": "مشاوره مهاجرت برای بزرگسالان",
            },
        ),
        (
            "Sozialberatung in mehreren Sprachen",
            {
                "en": "Social counselling in several languages",
                "ar": "استشارات اجتماعية بعدة لغات",
                "uk": "Соціальна консультація кількома мовами",
                "ru": "Социальная консультация на нескольких языках",
                "tr": "Birçok dilde sosyal danışmanlık",
                "fa": "مشاوره اجتماعی به چند زبان",
            },
        ),
    ],
    "childcare": [
        (
            "Eltern-Kind-Gruppe",
            {
                "en": "Parent and child group",
                "ar": "مجموعة الآباء والأطفال",
                "uk": "Група для батьків з дітьми",
                "ru": "Группа для родителей с детьми",
                "tr": "Ebeveyn-çocuk grubu",
                "fa": "گروه والدین و کودک",
            },
        ),
        (
            "Hausaufgabenhilfe",
            {
                "en": "Homework help",
                "ar": "مساعدة في الواجبات المدرسية",
                "uk": "Допомога з домашніми завданнями",
                "ru": "Помощь с домашними заданиями",
                "tr": "Ödev yardımı",
                "fa": "کمک به تکالیف مدرسه",
            },
        ),
    ],
    "education": [
        (
            "Berufsorientierung für junge Zugewanderte",
            {
                "en": "Career orientation for young newcomers",
                "ar": "توجيه مهني للشباب القادمين الجدد",
                "uk": "Профорієнтація для молодих переселенців",
                "ru": "Профориентация для молодых переселенцев",
                "tr": "Genç göçmenler için meslek yönlendirme",
                "fa": "راهنمایی شغلی برای جوانان تازه‌وارد",
            },
        ),
        (
            "Computerkurs für Einsteiger",
            {
                "en": "Computer course for beginners",
                "ar": "دورة حاسوب للمبتدئين",
                "uk": "Комп'ютерний курс для початківців",
                "ru": "Компьютерный курс для начинающих",
                "tr": "Yeni başlayanlar için bilgisayar kursu",
                "fa": "دوره کامپیوتر برای مبتدیان",
            },
        ),
    ],
    "work": [
        (
            "Bewerbungswerkstatt",
            {
                "en": "Job application workshop",
                "ar": "ورشة طلبات التوظيف",
                "uk": "Майстерня з подання резюме",
                "ru": "Мастерская по составлению резюме",
                "tr": "İş başvurusu atölyesi",
                "fa": "کارگاه درخواست کار",
            },
        ),
        (
            "Anerkennungsberatung für ausländische Abschlüsse",
            {
                "en": "Advice on recognition of foreign qualifications",
                "ar": "استشارات الاعتراف بالشهادات الأجنبية",
                "uk": "Консультація з визнання іноземних дипломів",
                "ru": "Консультация по признанию иностранных дипломов",
                "tr": "Yabancı diplomaların tanınması danışmanlığı",
                "fa": "مشاوره شناسایی مدارک خارجی",
            },
        ),
    ],
    "health": [
        (
            "Gesundheitslotsen",
            {
                "en": "Health guides",
                "ar": "مرشدو الصحة",
                "uk": "Провідники у сфері здоров'я",
                "ru": "Проводники в сфере здоровья",
                "tr": "Sağlık rehberleri",
                "fa": "راهنمایان سلامت",
            },
        ),
        (
            "Psychosoziale Sprechstunde",
            {
                "en": "Psychosocial consultation hours",
                "ar": "ساعات الاستشارة النفسية الاجتماعية",
                "uk": "Психосоціальні консультації",
                "ru": "Психосоциальные консультации",
                "tr": "Psikososyal danışma saatleri",
                "fa": "ساعات مشاوره روانی‌اجتماعی",
            },
        ),
    ],
    "housing": [
        (
            "Wohnungssuche: Beratung und Begleitung",
            {
                "en": "Finding a flat: advice and support",
                "ar": "البحث عن سكن: استشارة ومرافقة",
                "uk": "Пошук житла: консультація та супровід",
                "ru": "Поиск жилья: консультация и сопровождение",
                "tr": "Ev arama: danışmanlık ve destek",
                "fa": "جستجوی مسکن: مشاوره و همراهی",
            },
        ),
    ],
    "legal": [
        (
            "Rechtsberatung zum Aufenthalt",
            {
                "en": "Legal advice on residence",
                "ar": "استشارة قانونية حول الإقامة",
                "uk": "Юридична консультація щодо перебування",
                "ru": "Юридическая консультация по вопросам пребывания",
                "tr": "Oturum hakkında hukuki danışmanlık",
                "fa": "مشاوره حقوقی درباره اقامت",
            },
        ),
    ],
    "leisure": [
        (
            "Interkulturelles Fußballtraining",
            {
                "en": "Intercultural football training",
                "ar": "تدريب كرة قدم بين الثقافات",
                "uk": "Міжкультурні футбольні тренування",
                "ru": "Межкультурные футбольные тренировки",
                "tr": "Kültürlerarası futbol antrenmanı",
                "fa": "تمرین فوتبال بین‌فرهنگی",
            },
        ),
        (
            "Nähcafé",
            {
                "en": "Sewing café",
                "ar": "مقهى الخياطة",
                "uk": "Кафе шиття",
                "ru": "Кафе шитья",
                "tr": "Dikiş kafesi",
                "fa": "کافه خیاطی",
            },
        ),
        (
            "Interkultureller Garten",
            {
                "en": "Intercultural garden",
                "ar": "حديقة بين الثقافات",
                "uk": "Міжкультурний сад",
                "ru": "Межкультурный сад",
                "tr": "Kültürlerarası bahçe",
                "fa": "باغ بین‌فرهنگی",
            },
        ),
        (
            "Frauenschwimmen",
            {
                "en": "Swimming for women",
                "ar": "سباحة للنساء",
                "uk": "Плавання для жінок",
                "ru": "Плавание для женщин",
                "tr": "Kadınlar için yüzme",
                "fa": "شنا برای بانوان",
            },
        ),
    ],
    "volunteering": [
        (
            "Patenschaften für Neuzugewanderte",
            {
                "en": "Mentoring for newcomers",
                "ar": "برنامج رعاية للقادمين الجدد",
                "uk": "Наставництво для новоприбулих",
                "ru": "Наставничество для вновь прибывших",
                "tr": "Yeni gelenler için mentorluk",
                "fa": "همیاری برای تازه‌واردان",
            },
        ),
        (
            "Ehrenamtliche Sprachmittlung",
            {
                "en": "Volunteer interpreting",
                "ar": "ترجمة تطوعية",
                "uk": "Волонтерський переклад",
                "ru": "Волонтерский перевод",
                "tr": "Gönüllü tercümanlık",
                "fa": "ترجمه داوطلبانه",
            },
        ),
    ],
}

SUMMARY: dict[str, str] = {
    "de": "Offenes Angebot, Anmeldung erwünscht. Bitte bringen Sie, wenn vorhanden, Ihre Unterlagen mit.",
    "en": "Open to everyone, please register. If you have them, please bring your documents.",
    "ar": "العرض مفتوح للجميع، يرجى التسجيل. يرجى إحضار مستنداتك إن وجدت.",
    "uk": "Відкрита пропозиція, бажано зареєструватися. Якщо маєте, візьміть із собою документи.",
    "ru": "Открытое предложение, желательна запись. Если есть, возьмите с собой документы.",
    "tr": "Herkese açık, lütfen kayıt olun. Varsa belgelerinizi yanınızda getirin.",
    "fa": "برنامه برای همه آزاد است، لطفاً ثبت‌نام کنید. در صورت امکان مدارک خود را همراه بیاورید.",
}

DESCRIPTION: dict[str, str] = {
    "de": "Wir treffen uns regelmäßig in kleinen Gruppen. Erfahrene Ehrenamtliche und Fachkräfte "
    "begleiten Sie. Das Angebot ist vertraulich und unabhängig vom Aufenthaltsstatus.",
    "en": "We meet regularly in small groups. Experienced volunteers and professionals support you. "
    "The offer is confidential and independent of residence status.",
    "ar": "نلتقي بانتظام في مجموعات صغيرة. يرافقكم متطوعون ومختصون ذوو خبرة. العرض سري ومستقل عن وضع الإقامة.",
    "uk": "Ми регулярно зустрічаємося в невеликих групах. Вас супроводжують досвідчені волонтери та фахівці. "
    "Пропозиція конфіденційна і не залежить від статусу перебування.",
    "ru": "Мы регулярно встречаемся в небольших группах. Вас сопровождают опытные волонтеры и специалисты. "
    "Предложение конфиденциально и не зависит от статуса пребывания.",
    "tr": "Küçük gruplar halinde düzenli olarak buluşuyoruz. Deneyimli gönüllüler ve uzmanlar "
    "size eşlik eder. Hizmet gizlidir ve oturum durumundan bağımsızdır.",
    "fa": "ما به‌طور منظم در گروه‌های کوچک دیدار می‌کنیم. داوطلبان و متخصصان باتجربه شما را همراهی می‌کنند. "
    "این برنامه محرمانه و مستقل از وضعیت اقامت است.",
}

ORGANISATION_KINDS = [
    # (name pattern, is MSO, languages, fields of work)
    (
        "Syrischer Kulturverein {g} e. V.",
        True,
        ["ar", "de", "ku"],
        ["leisure", "volunteering", "counselling"],
    ),
    ("Ukrainische Gemeinschaft {g} e. V.", True, ["uk", "ru", "de"], ["leisure", "childcare", "education"]),
    ("Afghanischer Frauenverein {g} e. V.", True, ["fa", "ps", "de"], ["leisure", "health", "counselling"]),
    (
        "Deutsch-Türkischer Freundschaftsverein {g} e. V.",
        True,
        ["tr", "de", "ku"],
        ["leisure", "volunteering"],
    ),
    ("Eritreische Gemeinde {g}", True, ["ti", "ar", "de"], ["volunteering", "leisure"]),
    ("Russischsprachiger Elternverein {g} e. V.", True, ["ru", "uk", "de"], ["childcare", "education"]),
    ("Willkommensinitiative {g}", False, ["de", "en", "ar"], ["volunteering", "language_course", "housing"]),
    ("Familienzentrum {g}", False, ["de", "en"], ["childcare", "counselling", "health"]),
    ("Volkshochschule – Außenstelle {g}", False, ["de", "en"], ["language_course", "education"]),
    ("Sportverein Eintracht {g} e. V.", False, ["de"], ["leisure"]),
    ("Diakonie-Beratungsstelle {g}", False, ["de", "en", "ru"], ["counselling", "housing", "legal"]),
]

STREETS = [
    "Markt",
    "Hauptstraße",
    "Bahnhofstraße",
    "Schulstraße",
    "Kirchplatz",
    "Lindenallee",
    "Friedensstraße",
]
