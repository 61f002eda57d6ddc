"""Czech labels and messages, keyed by their English text."""

MESSAGES: dict[str, str] = {
    # General
    "Error": "Chyba",
    "See": "Viz",
    "aborted": "přerušeno",
    "yes": "ano",
    "no": "ne",
    "open": "otevřený",
    "closed": "uzavřený",
    # Tables
    "Field": "Údaj",
    "Value": "Hodnota",
    "Code": "Kód",
    "Name": "Název",
    "Type": "Druh",
    "Forms": "Formy",
    "Ages": "Věk",
    "Capacity": "Kapacita",
    "Hours": "Provozní doba",
    "Limit": "Limit setkání",
    "Services": "Služby",
    "Staff": "Pracovníci",
    "Login": "Login",
    "Role": "Role",
    "Active": "Aktivní",
    "Client {code}": "Klient {code}",
    "consent": "souhlas",
    "given": "udělen",
    "withdrawn": "odvolán",
    "code": "kód",
    "kind": "typ",
    "birth_year": "rok narození",
    "age_band": "věková skupina",
    "sex": "pohlaví",
    "district": "místo bydliště",
    "target_group": "cílová skupina",
    "name": "jméno",
    "birth_date": "datum narození",
    "contact": "kontakt",
    "registered": "evidován",
    # History
    "Case {case} · client {client} · service {service} · key worker {worker} · {state} · sessions: {n}": (
        "Případ {case} · klient {client} · služba {service} · klíčový pracovník {worker} · {state} · "
        "setkání: {n}"
    ),
    "Happened": "Proběhlo",
    "Recorded": "Zapsáno",
    "By": "Zapsal/a",
    "Entry": "Záznam",
    "correction of #{n}": "oprava záznamu #{n}",
    "retraction of #{n}": "zrušení záznamu #{n}",
    "as recorded by {when}": "stav zápisu k {when}",
    "corrected by": "opraveno záznamem",
    "RETRACTED by": "ZRUŠENO záznamem",
    "opened": "případ otevřen",
    "session": "setkání",
    "referral": "zprostředkování",
    "referral-outcome": "výsledek zprostředkování",
    "goal": "cíl plánu",
    "goal-review": "hodnocení cíle",
    "correction": "oprava",
    "retraction": "zrušení",
    "reopened": "případ znovu otevřen",
    # Kinds of records in "not found" messages
    "service": "služba",
    "staff member": "pracovník",
    "client": "klient",
    "case": "případ",
    "enquiry": "zájemce",
    "complaint": "stížnost",
    "installation": "instalace",
    # Duties in "may not" messages
    "administer the journal (services, staff, backups, projections)": "spravovat kroniku (služby, pracovníky, zálohy, projekce)",
    "record client work": "zapisovat práci s klienty",
    "correct, retract, override, close or reopen": "opravovat, rušit záznamy, povolovat výjimky, uzavírat a znovu otevírat případy",
    "read case records": "číst záznamy případů",
    "read the audit trail and the quality findings": "číst auditní stopu a zjištění kvality",
    "issue and reproduce reports": "vydávat a ověřovat výkazy",
    # Refusals
    "client {client} (age up to {age}) is outside the age range {low}-{high} of service {service}. "
    "Record the enquiry and refuse it with reason a (kronika enquiry refuse E-… --reason a), "
    "or, as a supervisor, open the case with --override REASON": (
        "klient {client} (věk nejvýše {age}) je mimo věkové rozmezí {low}-{high} služby {service}. "
        "Zapište zájemce a odmítněte jej z důvodu a (kronika enquiry refuse E-… --reason a), "
        "nebo jako vedoucí otevřete případ s --override DŮVOD"
    ),
    "case {case} is closed. Reopen it first with: kronika case reopen {case} --reason REASON": (
        "případ {case} je uzavřen. Nejprve jej znovu otevřete: kronika case reopen {case} --reason DŮVOD"
    ),
    "case {case} is open already; nothing to reopen": "případ {case} je otevřený; není co znovu otevírat",
    "case {case} has had all {limit} sessions its service allows. "
    "A supervisor may log another with: --override REASON": (
        "případ {case} vyčerpal všech {limit} setkání, která služba dovoluje. "
        "Vedoucí může zapsat další s: --override DŮVOD"
    ),
    "case {case} was opened only at {opened}; give a later date or time, or correct the opening": (
        "případ {case} byl otevřen až {opened}; zadejte pozdější datum nebo čas, nebo opravte otevření"
    ),
    "{when} is in the future; give a time that has passed": "{when} je v budoucnosti; zadejte čas, který už nastal",
    "case {case} had not been recorded by {when}; give a later --as-of, or none": (
        "případ {case} nebyl k {when} ještě zapsán; zadejte pozdější --as-of, nebo žádné"
    ),
    "there is no entry {entry}; see the entries with: kronika history CASE": (
        "záznam {entry} neexistuje; záznamy ukáže: kronika history PŘÍPAD"
    ),
    "entry {entry} was retracted and cannot be changed; record the right facts as a new entry": (
        "záznam {entry} byl zrušen a nelze jej měnit; zapište správné údaje jako nový záznam"
    ),
    "entry {entry} ({kind}) has no correctable field {field}; see: kronika entry correct --help": (
        "záznam {entry} ({kind}) nemá opravitelný údaj {field}; viz: kronika entry correct --help"
    ),
    "entry {entry} ({kind}) cannot be corrected or retracted; "
    "sessions, contacts, referrals, outcomes, goals and reviews can": (
        "záznam {entry} ({kind}) nelze opravit ani zrušit; "
        "lze tak učinit u setkání, kontaktů, zprostředkování, výsledků, cílů a jejich hodnocení"
    ),
    "this referral's outcome is recorded already as {entry}; "
    "change it with: kronika entry correct {entry} --outcome ...": (
        "výsledek tohoto zprostředkování je již zapsán jako {entry}; změňte jej: kronika entry correct {entry} --outcome ..."
    ),
    "enquiry {enquiry} was already refused or led to a case": (
        "zájemce {enquiry} již byl odmítnut nebo s ním byl otevřen případ"
    ),
    "service {service} is not registered for the {form} form; use one of its forms (kronika service list)": (
        "služba {service} není registrována pro formu {form}; použijte některou z jejích forem (kronika service list)"
    ),
    "{login} does not work in service {service}; an admin can add it: kronika staff role {login} ...": (
        "{login} nepracuje ve službě {service}; správce ji může přidat: kronika staff role {login} ..."
    ),
    "there is no {kind} {key}; check the code": "{kind} {key} neexistuje; zkontrolujte kód",
    "{kind} {key} exists already": "{kind} {key} již existuje",
    "{actor} may not {action}: this needs {needed}. Ask an admin": (
        "{actor} nesmí {action}: je k tomu potřeba {needed}. Obraťte se na správce"
    ),
    '{actor} reads as an auditor: say why with --purpose, e.g. --purpose "quality audit 2025"': (
        '{actor} čte jako auditor: uveďte účel pomocí --purpose, např. --purpose "audit kvality 2025"'
    ),
    "{actor} has left this journal's staff; someone who comes back is added anew, "
    "under a new login: kronika staff add LOGIN ...": (
        "{actor} už nepatří k pracovníkům této kroniky; kdo se vrátí, je přidán znovu "
        "pod novým přihlašovacím jménem: kronika staff add LOGIN ..."
    ),
    "{actor} is not active staff of this journal. An admin can add you: kronika staff add {actor} ...": (
        "{actor} není aktivním pracovníkem této kroniky. Správce vás může přidat: kronika staff add {actor} ..."
    ),
    "others kept changing the same records ({attempts} attempts); nothing was written, try again": (
        "jiní současně měnili tytéž záznamy ({attempts} pokusů); nic nebylo zapsáno, zkuste to znovu"
    ),
    "{field}: {problem}": "{field}: {problem}",
    "there is no journal in {where}. Create one with: kronika init": (
        "v {where} není žádná kronika. Založte ji: kronika init"
    ),
    "there is no journal in that database. Create one with: kronika init": (
        "v této databázi není žádná kronika. Založte ji: kronika init"
    ),
    "the journal's database failed ({why}); check KRONIKA_DATABASE_URL and that the server runs": (
        "databáze kroniky selhala ({why}); zkontrolujte KRONIKA_DATABASE_URL a zda server běží"
    ),
    "a file": "soubor",
    "cannot use {what}: {why}; check KRONIKA_DATA_DIR": "nelze použít {what}: {why}; zkontrolujte KRONIKA_DATA_DIR",
    # Input
    "{value!r} is not a date like 2025-03-01 or 1.3.2025": "{value!r} není datum jako 2025-03-01 nebo 1.3.2025",
    "{value!r} is not a date and time like '2025-03-01 14:30' or '1.3.2025 14:30'": (
        "{value!r} není datum a čas jako '2025-03-01 14:30' nebo '1.3.2025 14:30'"
    ),
    "{value!r} is not one of: {allowed}": "{value!r} není jedna z možností: {allowed}",
    "give --case, or --service for a contact without a case": "zadejte --case, nebo --service pro kontakt bez případu",
    "name at least one field to correct, e.g. --minutes 45": "uveďte alespoň jeden údaj k opravě, např. --minutes 45",
    "name at least one parameter to change": "uveďte alespoň jeden parametr ke změně",
    # Set-up
    "Journal created in {where}; {login} is its admin.": "Kronika založena v {where}; {login} je její správce.",
    "Journal in {where} exists already; nothing changed.": "Kronika v {where} již existuje; nic se nezměnilo.",
    # Import
    'is not an object with "cmd", e.g. {"cmd": "client add"}': 'není objekt s "cmd", např. {"cmd": "client add"}',
    '"ref" must be a short label like "p1"': '"ref" musí být krátké označení jako "p1"',
    "the file holds no commands": "soubor neobsahuje žádné příkazy",
    "is not UTF-8 text": "není text v UTF-8",
    '"command_id" is not a UUID': '"command_id" není UUID',
    "nothing imported: {problems}": "nic nebylo importováno: {problems}",
    "longer than {n} bytes": "delší než {n} bajtů",
    '"ref" {ref} is used by an earlier line': '"ref" {ref} už používá dřívější řádek',
    "{name!r} is not a command that records something": "{name!r} není příkaz, který něco zapisuje",
    "unknown option {key!r}; see: kronika {cmd} --help": "neznámá volba {key!r}; viz: kronika {cmd} --help",
    "{n} lines checked; nothing written (--dry-run).": "zkontrolováno řádků: {n}; nic nezapsáno (--dry-run).",
    "{n} lines imported; {facts} new facts recorded.": "importováno řádků: {n}; nově zapsaných skutečností: {facts}.",
    "is not JSON ({why})": "není JSON ({why})",
    "line {n}: {problem}": "řádek {n}: {problem}",
    '"{key}" begins with @ but names no earlier line\'s "ref" (free text cannot)': (
        '"{key}" začíná znakem @, ale neodkazuje na "ref" žádného dřívějšího řádku (volný text nemůže)'
    ),
    "{key}: a value cannot be an object": "{key}: hodnota nemůže být objekt",
    "{key}: true or false only fits a switch": "{key}: true nebo false patří jen k přepínači",
    "{key}: {value} is not a whole number": "{key}: {value} není celé číslo",
    "{key}: a list only fits an option that takes several values": (
        "{key}: seznam patří jen k volbě, která bere více hodnot"
    ),
    "not a date like 1.3.1990 (the value typed is not repeated here)": (
        "není datum jako 1.3.1990 (zadaná hodnota se zde neopakuje)"
    ),
    "someone else wrote to the same records meanwhile; the first {n} lines are recorded. "
    "Run the same import again: lines already recorded are skipped": (
        "někdo jiný mezitím zapisoval do týchž záznamů; prvních {n} řádků je zapsáno. "
        "Spusťte stejný import znovu: již zapsané řádky se přeskočí"
    ),
    # Demo
    "What was recorded": "Co bylo zapsáno",
    "Try it (the demo is a journal of its own; you are its admin):": "Vyzkoušejte (ukázka je samostatná kronika; jste její správce):",
    "sessions 13 and up, by a supervisor's override": "13. a další setkání, s výjimkou povolenou vedoucím",
    "a session saved twice, the copy retracted": "setkání zapsané dvakrát, kopie zrušena",
    "a 17-year-old at the adults-only service, by override": "sedmnáctiletý klient ve službě pro dospělé, s výjimkou",
    "{n:,} clients = {amb:,} ambulatory + {field:,} field ({both} had both)": "{n:,} klientů = {amb:,} ambulantně + {field:,} terénně ({both} obojí)",
    "{h:,.0f} h of direct work = {ha:,.0f} h ambulatory + {hf:,.0f} h field": "{h:,.0f} h přímé práce = {ha:,.0f} h ambulantně + {hf:,.0f} h terénně",
    "{n:,} clients; {h:,.0f} h of direct work = {hf:,.0f} h field + {hr:,.0f} h residential": "{n:,} klientů; {h:,.0f} h přímé práce = {hf:,.0f} h terénně + {hr:,.0f} h pobytově",
    "services": "služby",
    "SOS: crisis help §60, ambulatory and field, from 11, 12 sessions a case": "SOS: krizová pomoc §60, ambulantně i terénně, od 11 let, 12 setkání na případ",
    "OOL: crisis help for victims of trafficking, adults, field and residential": "OOL: krizová pomoc obětem obchodu s lidmi, dospělí, terénně i pobytově",
    "staff": "pracovníci",
    "clients": "klienti",
    "sessions": "setkání",
    "contacts": "kontakty",
    "cases": "případy",
    "enquiries": "zájemci",
    "referrals": "zprostředkování",
    "goals": "cíle",
    "corrections": "opravy",
    "every entry: when it happened, when and by whom it was recorded": "každý záznam: kdy se stal, kdy a kdo jej zapsal",
    "Recording the year {year} of SOS centrum ({n:,} clients, seed {seed}) in {where} ...": "Zapisuji rok {year} SOS centra ({n:,} klientů, seed {seed}) do {where} ...",
    "Case {case}: entry {entry} was corrected later; the correction stands beside the original.": "Případ {case}: záznam {entry} byl později opraven; oprava stojí vedle původního záznamu.",
    "the demo is on SQLite, not on your PostgreSQL": "ukázka běží na SQLite, ne na vašem PostgreSQL",
    "as it stood before its correction": "jak vypadal před opravou",
    "the same, read by the auditor (the read is recorded)": "totéž, čte auditor (čtení se zaznamená)",
    "an identified client (personal data)": "identifikovaný klient (osobní údaje)",
    "a child of 9: refused by the age rule": "devítileté dítě: odmítnuto pro věk",
    "{commands:,} commands recorded as {facts:,} facts in {seconds:.1f} s.": "{commands:,} příkazů zapsáno jako {facts:,} skutečností za {seconds:.1f} s.",
    "{n} and you (admin): one promoted in April, one left in June, one joined in September": "{n} a vy (správce): jeden povýšen v dubnu, jeden odešel v červnu, jeden nastoupil v září",
    "{n:,} registered: {p:,} pseudonymous, {i:,} identified, {a:,} anonymous": "{n:,} evidováno: {p:,} pod kódem, {i:,} identifikovaných, {a:,} anonymních",
    "{n:,}, {o} beyond the 12-session limit by a supervisor's override": "{n:,}, z toho {o} nad limit 12 setkání s výjimkou vedoucího",
    "{n:,}, of which {a:,} anonymous (no client)": "{n:,}, z toho {a:,} anonymních (bez klienta)",
    "{n:,} opened ({o} of a minor, by a supervisor's override), {r} reopened": "{n:,} otevřeno ({o} nezletilého, s výjimkou vedoucího), {r} znovu otevřeno",
    "{c:,} closed: {closed}": "{c:,} uzavřeno: {closed}",
    "{n:,}, {r} refused by reason {reasons}": "{n:,}, {r} odmítnuto z důvodů {reasons}",
    "{n:,}, with an outcome for {o:,}": "{n:,}, s výsledkem u {o:,}",
    "{n} set, {r} reviewed; complaints {c}, resolved {s}": "{n} stanoveno, {r} hodnoceno; stížnosti {c}, vyřízeno {s}",
    "{n}, {late} of them more than 30 days after the entry; retractions {r}": "{n}, z toho {late} více než 30 dní po záznamu; zrušení {r}",
    "{n} clients, {s} interventions": "{n} klientů, {s} intervencí",
    "{login} (demo admin)": "{login} (správce ukázky)",
    "{where} holds a journal already": "{where} již obsahuje kroniku",
    "{where} is a file; give a directory with --dir": "{where} je soubor; zadejte adresář pomocí --dir",
    "you are inside {where}, which the demo would replace; run it from elsewhere": "jste uvnitř {where}, který by ukázka nahradila; spusťte ji odjinud",
    "{where} is not empty and was not made by kronika demo; nothing was changed. Give a new or empty directory with --dir, e.g. --dir ./kronika-demo-2": "{where} není prázdný a nevytvořila jej kronika demo; nic se nezměnilo. Zadejte nový nebo prázdný adresář pomocí --dir, např. --dir ./kronika-demo-2",
    "the demo's command {n} ({command}) answered {result}, not {expected}": "příkaz ukázky č. {n} ({command}) vrátil {result}, ne {expected}",
    "the demo's command {n} ({command}) was refused, a bug in the demo: {why}": "příkaz ukázky č. {n} ({command}) byl odmítnut, chyba ukázky: {why}",
    # Projections, workers, audit
    " (the broker did not answer: {why})": " (broker neodpověděl: {why})",
    "About": "Týká se",
    "Audit trail ({n})": "Auditní stopa ({n})",
    "Behind": "Zpoždění",
    "Case": "Případ",
    "Case {case}": "Případ {case}",
    "Client": "Klient",
    "Corrects / retracts": "Opravuje / ruší",
    "Days": "Dní",
    "Days since contact": "Dní od kontaktu",
    "Detail": "Podrobnosti",
    "Drift": "Odchylky",
    "Entries": "Záznamy",
    "Fact": "Skutečnost",
    "Finding": "Zjištění",
    "Findings ({n})": "Zjištění ({n})",
    "Form": "Forma",
    "Head": "Konec deníku",
    "Key worker": "Klíčový pracovník",
    "Last contact": "Poslední kontakt",
    "Last rebuild": "Poslední přestavba",
    "Left": "Zbývá",
    "Minutes": "Minut",
    "Month": "Měsíc",
    "Note: recorded, but the workers could not be told ({why}); they catch up when it is back": "Poznámka: zaznamenáno, ale workery se nepodařilo upozornit ({why}); doženou to, až bude zpět",
    "Open cases ({n})": "Otevřené případy ({n})",
    "Open referrals": "Otevřená zprostředkování",
    "Opened": "Otevřen",
    "Position": "Pozice",
    "Projection": "Projekce",
    "Projections": "Projekce",
    "Purpose": "Účel",
    "Service": "Služba",
    "Sessions": "Setkání",
    "Sessions by month": "Setkání po měsících",
    "State": "Stav",
    "Version": "Verze",
    "When": "Kdy",
    "a rebuild of {name} is already running; wait for it to finish": "přestavba {name} už běží; počkejte, až skončí",
    "not built": "nepostaveno",
    "set KRONIKA_BROKER_URL to the Redis the workers share, e.g. redis://127.0.0.1:6379/0": "nastavte KRONIKA_BROKER_URL na Redis, který workery sdílejí, např. redis://127.0.0.1:6379/0",
    "the projections are being rebuilt right now; try again in a moment": "projekce se právě přestavují; zkuste to za chvíli",
    "the read store failed ({why}); check KRONIKA_DATABASE_URL and that the server runs, "
    "or rebuild the projections with: kronika projections rebuild": (
        "úložiště pro čtení selhalo ({why}); zkontrolujte KRONIKA_DATABASE_URL a že server běží, "
        "nebo projekce přestavte příkazem: kronika projections rebuild"
    ),
    "the read store {file} cannot be used ({why}): check that you may write in {where}; it holds nothing "
    "the journal does not, so if it is damaged, remove it and it is built again": (
        "úložiště pro čtení {file} nelze použít ({why}): zkontrolujte, že smíte zapisovat do {where}; "
        "neobsahuje nic, co by nebylo v deníku, takže je-li poškozené, smažte je a vytvoří se znovu"
    ),
    "the journal {file} cannot be used ({why}): check that you may write in {where}; if the file is "
    "damaged, restore a backup into a new data directory with: kronika restore FILE": (
        "deník {file} nelze použít ({why}): zkontrolujte, že smíte zapisovat do {where}; je-li soubor "
        "poškozený, obnovte zálohu do nového datového adresáře příkazem: kronika restore SOUBOR"
    ),
    "the workers have not caught up with your last write within {seconds} s{why}. Start them with: kronika worker, or catch up here with: kronika projections catch-up": "workery během {seconds} s nedohnaly váš poslední zápis{why}. Spusťte je příkazem: kronika worker, nebo dohoňte zde: kronika projections catch-up",
    "the {name} projection is not built yet; build it with: kronika projections rebuild": "projekce {name} ještě není postavena; postavte ji příkazem: kronika projections rebuild",
    "there is no case {code}; list them with: kronika cases": "případ {code} neexistuje; vypište případy příkazem: kronika cases",
    "{name} is not a projection; choose from {names}": "{name} není projekce; vyberte z {names}",
    "{name}: {events} facts replayed to position {position}, {rows} rows, differences: {drift}": "{name}: přehráno {events} skutečností po pozici {position}, {rows} řádků, odchylky: {drift}",
    "{name}: {n} facts applied": "{name}: zpracováno {n} skutečností",
    "hash chain: {n} facts linked": "řetězec otisků: připojeno {n} záznamů",
    # Findings (rules)
    "outside-hours": "mimo provozní dobu",
    "over-capacity": "nad okamžitou kapacitu",
    "late-correction": "pozdní oprava",
    "minor-via-override": "nezletilý na základě výjimky",
    "stale-case": "případ bez kontaktu",
    "referral-without-outcome": "zprostředkování bez výsledku",
    "late-first-contact": "pozdní první kontakt",
    # Forms
    "ambulatory": "ambulantní",
    "field": "terénní",
    "residential": "pobytová",
    # Demo tour (projections)
    "Projections (open cases, session counts, audit trail, findings, report facts) built in {seconds:.1f} s.": "Projekce (otevřené případy, počty setkání, auditní stopa, zjištění, podklady výkazů) postaveny za {seconds:.1f} s.",
    "who recorded and read what": "kdo co zaznamenal a četl",
    "open cases without contact for 30 days": "otevřené případy bez kontaktu 30 dní",
    "state and sessions by month, from the projections": "stav a setkání po měsících z projekcí",
    "quality findings, each with the entries behind it": "zjištění kvality, každé se záznamy, které je způsobily",
    "replay the journal and compare: 0 differences": "přehrát deník a porovnat: 0 odchylek",
    "the {name} projection was built by a newer Kronika; upgrade this one": "projekci {name} postavila novější Kronika; aktualizujte tuto",
    # Reports
    "(a) not provided / outside the target group": "(a) služba se neposkytuje / mimo cílovou skupinu",
    "(b) no capacity": "(b) nedostatečná kapacita",
    "(c) health excludes a residential service": "(c) zdravotní stav vylučuje pobytovou službu",
    "(d) contract terminated less than 6 months ago": "(d) smlouva vypovězena před méně než 6 měsíci",
    "(the default)": "(výchozí)",
    "* the default profile": "* výchozí profil",
    "--to {end} is before --from {start}": "--to {end} je před --from {start}",
    "Age bands": "Věkové skupiny",
    "Applicants refused (§91(3)) by reason": "Odmítnutí zájemci (§91 odst. 3) podle důvodu",
    "Cases": "Případy",
    "Cases by number of sessions in the period": "Případy podle počtu setkání v období",
    "Client hours": "Hodiny klienta",
    "Clients": "Klienti",
    "Clients and direct-work hours by month": "Klienti a hodiny přímé práce po měsících",
    "Clients and interventions by district of residence": "Klienti a intervence podle místa bydliště",
    "Clients by age at their first direct work in the period": "Klienti podle věku při první přímé práci v období",
    "Clients by age band": "Klienti podle věkových skupin",
    "Clients by form and month": "Klienti podle formy a měsíce",
    "Clients resident in the district and their direct work": "Klienti s bydlištěm v městské části a přímá práce s nimi",
    "Column": "Sloupec",
    "Contact from": "Kontakt od",
    "Day": "Den",
    "Description": "Popis",
    "Digest": "Otisk",
    "Direct work": "Přímá práce",
    "Direct-work hours by form and month": "Hodiny přímé práce podle formy a měsíce",
    "District": "Městská část",
    "District report": "Výkaz za městskou část",
    "ESF project report": "Výkaz projektu ESF",
    "ESF project: participants at or above the threshold of client time": "Projekt ESF: účastníci na hranici bagatelní podpory nebo nad ní",
    "Every figure can be traced to its entries with: kronika report reproduce {code} --explain FIGURE": "Každý údaj lze dohledat k záznamům příkazem: kronika report reproduce {code} --explain ÚDAJ",
    "Intervention from": "Intervence od",
    "Interventions": "Intervence",
    "Issued as {code}; reproduce it with: kronika report reproduce {code}": "Vydáno jako {code}; ověříte příkazem: kronika report reproduce {code}",
    "Log position": "Pozice v deníku",
    "Not included: no stated residence, or anonymous": "Nezahrnuto: bez uvedeného bydliště nebo anonymní",
    "Number": "Počet",
    "Period": "Období",
    "Persons": "Osoby",
    "Persons and client hours by service (a person served by two services is in both)": "Osoby a hodiny klientů podle služby (osoba ve dvou službách je v obou)",
    "Profile": "Profil",
    "Referrals by kind and outcome": "Zprostředkování podle druhu a výsledku",
    "Report": "Výkaz",
    "Report profiles": "Profily výkazů",
    "Report {code} reproduced from the log up to position {position}: the same {n} figures, digest {digest}": "Výkaz {code} znovu spočten z deníku po pozici {position}: stejných {n} údajů, otisk {digest}",
    "Row": "Řádek",
    "Section": "Oddíl",
    "Summary report": "Souhrnný výkaz",
    "Threshold": "Hranice",
    "Total": "Celkem",
    "Trace any figure to its entries with --explain, e.g. --explain {figure}": "Každý údaj dohledáte k záznamům volbou --explain, např. --explain {figure}",
    "What": "Co",
    "accepted": "přijato",
    "all": "všechny",
    "{value!r} is not a number of hours; give e.g. 40": "{value!r} není počet hodin; zadejte např. 40",
    "--explain lists entries as a table, CSV or JSON, not {format}: use --format csv or json": "--explain vypisuje záznamy jako tabulku, CSV nebo JSON, ne {format}: použijte --format csv nebo json",
    "{file} is named like a {format} file, but the format is a table: add --format {name}": "{file} se jmenuje jako soubor {format}, ale formát je tabulka: přidejte --format {name}",
    "cannot write {file}: {why}": "nelze zapsat {file}: {why}",
    "report {code} was issued but cannot be written to {file}: {why}; write it again with: kronika report reproduce {code} --format {format} -o FILE": "výkaz {code} byl vydán, ale nelze jej zapsat do {file}: {why}; zapište jej znovu příkazem: kronika report reproduce {code} --format {format} -o SOUBOR",
    "an XLSX report goes to a file: add --output report.xlsx": "výkaz XLSX se zapisuje do souboru: přidejte --output vykaz.xlsx",
    "anonymous clients (never participants)": "anonymní klienti (nikdy účastníci)",
    "anonymous contacts (no client code; not in the clients)": "anonymní kontakty (bez kódu klienta; nejsou mezi klienty)",
    "child protection (OSPOD)": "OSPOD",
    "client ended": "ukončil klient",
    "clients who did not state their residence": "klienti, kteří neuvedli bydliště",
    "contract terminated": "vypovězení smlouvy",
    "declined": "odmítnuto",
    "direct-work hours": "hodiny přímé práce",
    "direct-work hours (minutes × staff present)": "hodiny přímé práce (minuty × přítomní pracovníci)",
    "give the district's name as the clients' records state it": "uveďte název městské části tak, jak je v záznamech klientů",
    "goal met": "cíl splněn",
    "legal": "právní",
    "lost contact": "ztráta kontaktu",
    "medical": "zdravotní",
    "name the project's services, e.g. --services AZYL,DPC": "uveďte služby projektu, např. --services AZYL,DPC",
    "no outcome yet": "zatím bez výsledku",
    "no-show": "nedostavil se",
    "not issued": "nevydáno",
    "not stated": "neuvedeno",
    "of them anonymous": "z toho anonymní",
    "of them identified": "z toho identifikovaní",
    "of them in more than one form": "z toho ve více formách",
    "of them pseudonymous": "z toho pseudonymní",
    "open at the end of the period": "otevřené na konci období",
    "other": "jiné",
    "participants (at or above the threshold)": "účastníci (na hranici nebo nad ní)",
    "persons below the threshold": "osoby pod hranicí",
    "police": "policie",
    "psychiatric": "psychiatrie",
    "referred elsewhere": "předán jinam",
    "report {code} does not reproduce: {n} figures differ from what was issued": "výkaz {code} nelze zopakovat: {n} údajů se liší od vydaných",
    "shelter": "azylové bydlení",
    "the report has no figure {figure}; figures look like {sample} (see --format json)": "výkaz nemá údaj {figure}; údaje vypadají jako {sample} (viz --format json)",
    "{file} is not a file to write into; name one, e.g. --output report.csv": (
        "{file} není soubor, do kterého lze zapsat; zadejte soubor, např. --output report.csv"
    ),
    "{value!r} did not happen here: the clocks skipped that hour; give the time they showed": (
        "{value!r} tu nenastalo: tu hodinu hodiny přeskočily; zadejte čas, který hodiny ukazovaly"
    ),
    "names nothing; give at least one, or leave the option out": (
        "nic neuvádí; zadejte aspoň jednu hodnotu, nebo volbu vynechte"
    ),
    # The shipped report profiles' descriptions (projections/reports/profiles.toml).
    "Every session is an intervention and every contact counts.": (
        "Každé setkání je intervencí a počítá se každý kontakt."
    ),
    "Interventions are sessions of at least 30 minutes; contacts under 10 minutes are left out.": (
        "Intervencemi jsou setkání dlouhá aspoň 30 minut; kontakty kratší než 10 minut se nepočítají."
    ),
    "you may not write {file}": "do {file} nesmíte zapisovat",
    "there is no folder {folder} to write {file} into": "složka {folder} pro zápis {file} neexistuje",
    "unknown": "neznámé",
    "{figure} = {value}: counted from {n} entries": "{figure} = {value}: spočteno z {n} záznamů",
    "{figure}: issued {then}, now {now}": "{figure}: vydáno {then}, nyní {now}",
    "the year's figures for the funders (issued as V-0001)": "údaje roku pro donátory (vydáno jako V-0001)",
    "the slice Prague 3 funds, and who did not state residence": "část, kterou financuje Praha 3, a kdo neuvedl bydliště",
    "the entries behind one figure": "záznamy, z nichž je spočten jeden údaj",
    "a page with charts to attach to a grant report": "stránka s grafy k přiložení ke zprávě o dotaci",
    "recompute an issued report from the log: the same figures": "znovu spočítat vydaný výkaz z deníku: stejné údaje",
    "(record {record}, version {version})": "(záznam {record}, verze {version})",
    "Intact: no fact was changed, removed, inserted or moved.": "Neporušeno: žádný záznam nebyl změněn, odstraněn, vložen ani přesunut.",
    "TAMPERED: {problem}; {n} positions differ in all.": "NARUŠENO: {problem}; celkem se liší {n} pozic.",
    "The log does NOT extend digest {digest}: a fact at or before position {position} was altered.": "Deník NEPOKRAČUJE z otisku {digest}: záznam na pozici {position} nebo dříve byl pozměněn.",
    "The log still extends digest {digest}.": "Deník stále pokračuje z otisku {digest}.",
    "a fact was inserted at position {position}": "na pozici {position} byl vložen záznam",
    "client {client} is erased: nothing personal can be recorded about them again; register the person anew if they come back": "klient {client} je vymazán: nelze o něm znovu zaznamenat nic osobního; pokud se vrátí, zaevidujte jej znovu",
    "client {client} is under a legal hold; a supervisor lifts it first: kronika client release {client} --reason ...": "klient {client} je pod zákonnou blokací; supervizor ji nejprve zruší: kronika client release {client} --reason ...",
    "client {client} is not under a legal hold; nothing to lift": "klient {client} není pod zákonnou blokací; není co rušit",
    "erased; it cannot be recovered": "vymazány; nelze je obnovit",
    "personal data": "osobní údaje",
    "the client of this case is erased: record it without notes or reasons (personal data)": "klient tohoto případu je vymazán: zaznamenejte to bez poznámek a důvodů (osobních údajů)",
    "the fact at position {position} was changed": "záznam na pozici {position} byl změněn",
    "the fact at position {position} was moved there from position {moved_from}": "záznam na pozici {position} sem byl přesunut z pozice {moved_from}",
    "the fact at position {position} was removed": "záznam na pozici {position} byl odstraněn",
    "the stored chain itself was altered at position {position}": "samotný uložený řetězec byl pozměněn na pozici {position}",
    "{facts} facts checked against the hash chain (head {head}).": "{facts} záznamů ověřeno proti řetězci otisků (hlava {head}).",
    "{value!r} is not a digest like 5120:3f9c… as kronika audit digest prints it": "{value!r} není otisk jako 5120:3f9c…, jak jej vypisuje kronika audit digest",
    "erase a client or place and lift legal holds": "vymazat klienta nebo zřídit a zrušit zákonnou blokaci",
    "legal_hold": "zákonná blokace",
    "a stored fact cannot be read: it was altered, or the master key is not this journal's. Find what changed with: kronika audit verify": "uložený záznam nelze přečíst: byl pozměněn, nebo hlavní klíč nepatří k tomuto deníku. Co se změnilo, zjistíte: kronika audit verify",
    "[erased]": "[vymazáno]",
    "the restored chain head {found} is not the backup's {head}": "obnovená hlava řetězce {found} není hlava zálohy {head}",
    "{n} facts backed up to {file}; chain head {head}.": "{n} záznamů zálohováno do {file}; hlava řetězce {head}.",
    "{n} facts restored; chain head {head} as in the backup.": "{n} záznamů obnoveno; hlava řetězce {head} jako v záloze.",
    "Its master key is {path} (readable by you only). Keep a copy apart from the database and its backups: without the key nobody can read the journal.": "Jeho hlavní klíč je {path} (čitelný jen pro vás). Uschovejte si kopii odděleně od databáze a jejích záloh: bez klíče deník nikdo nepřečte.",
    "the facts from position {position} to {until} were removed from the end of the log": "záznamy od pozice {position} do {until} byly odstraněny z konce deníku",
    "the journal is not intact ({problem}), so it is not backed up: a backup would carry the tampering on. See what changed with: kronika audit verify": "deník není neporušený ({problem}), proto se nezálohuje: záloha by narušení přenesla dál. Co se změnilo, zjistíte: kronika audit verify",
    "the journal changed while it was being backed up; try again": "deník se během zálohování změnil; zkuste to znovu",
    "{value!r} is not a day between {first} and {last}": "{value!r} není den mezi lety {first} a {last}",
    "{login} is the journal's last active admin; make someone else admin first: "
    "kronika staff role LOGIN --role admin": (
        "{login} je posledním aktivním správcem deníku; nejdřív udělejte správcem někoho jiného: "
        "kronika staff role LOGIN --role admin"
    ),
    "command id {id} answered another command, or someone else's; nothing was written. "
    "Give this command an id of its own": (
        "id příkazu {id} už patří jinému příkazu nebo jinému uživateli; nic nebylo zapsáno. "
        "Dejte tomuto příkazu vlastní id"
    ),
    "{where} holds bytes that are not UTF-8 text; set the terminal to UTF-8 and type it again": (
        "{where} obsahuje bajty, které nejsou text v UTF-8; nastavte terminál na UTF-8 a zadejte to znovu"
    ),
    "argument {n}": "{n}. argument",
    "{key}: a lone surrogate ({code}) is no character; write the text itself": (
        "{key}: samotná náhradní složka ({code}) není znak; napište text samotný"
    ),
    "{actor} may not open a case for client {client}: the client is served by another service, and clients' records are not shared between services. Register the person in your own service with: kronika client add ...": "{actor} nesmí otevřít případ klientovi {client}: klienta vede jiná služba a záznamy klientů se mezi službami nesdílejí. Zaevidujte osobu ve své službě: kronika client add ...",
}
