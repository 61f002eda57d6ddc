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
    "Case {case} · client {client} · service {service} · key worker {worker} · {state} · {n} sessions": (
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
    "administer services and staff": "spravovat služby a pracovníky",
    "record client work": "zapisovat práci s klienty",
    "correct, retract, override, close or reopen": "opravovat, rušit záznamy, povolovat výjimky, uzavírat a znovu otevírat případy",
    "read case records": "číst záznamy případů",
    "read the audit trail and the quality findings": "číst auditní stopu a zjištění kvality",
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
    "case {case} was opened only on {opened}; give a later --at, or correct the opening": (
        "případ {case} byl otevřen až {opened}; zadejte pozdější --at"
    ),
    "{when} is in the future; give a time that has passed": "{when} je v budoucnosti; zadejte čas, který už nastal",
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
    '{label} names no earlier line\'s "ref"': '{label} neodkazuje na "ref" žádného dřívějšího řádku',
    "{key}: a value cannot be an object": "{key}: hodnota nemůže být objekt",
    "{key}: true or false only fits a switch": "{key}: true nebo false patří jen k přepínači",
    "{key}: {value} is not a whole number": "{key}: {value} není celé číslo",
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
    "the read store failed ({why})": "úložiště pro čtení selhalo ({why})",
    "the read store failed ({why}); rebuild it with: kronika projections rebuild": "úložiště pro čtení selhalo ({why}); přestavte je příkazem: kronika projections rebuild",
    "the workers have not caught up with your last write within {seconds} s{why}. Start them with: kronika worker, or catch up here with: kronika projections catch-up": "workery během {seconds} s nedohnaly váš poslední zápis{why}. Spusťte je příkazem: kronika worker, nebo dohoňte zde: kronika projections catch-up",
    "the {name} projection is not built yet; build it with: kronika projections rebuild": "projekce {name} ještě není postavena; postavte ji příkazem: kronika projections rebuild",
    "there is no case {code}; list them with: kronika cases": "případ {code} neexistuje; vypište případy příkazem: kronika cases",
    "{name} is not a projection; choose from {names}": "{name} není projekce; vyberte z {names}",
    "{name}: {events} facts replayed to position {position}, {rows} rows, differences: {drift}": "{name}: přehráno {events} skutečností po pozici {position}, {rows} řádků, odchylky: {drift}",
    "{name}: {n} facts applied": "{name}: zpracováno {n} skutečností",
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
    "Projections (open cases, session counts, audit trail, findings) built in {seconds:.1f} s.": "Projekce (otevřené případy, počty setkání, auditní stopa, zjištění) postaveny za {seconds:.1f} s.",
    "who recorded and read what": "kdo co zaznamenal a četl",
    "open cases without contact for 30 days": "otevřené případy bez kontaktu 30 dní",
    "state and sessions by month, from the projections": "stav a setkání po měsících z projekcí",
    "quality findings, each with the entries behind it": "zjištění kvality, každé se záznamy, které je způsobily",
    "replay the journal and compare: 0 differences": "přehrát deník a porovnat: 0 odchylek",
    "the {name} projection was built by a newer Kronika; upgrade this one": "projekci {name} postavila novější Kronika; aktualizujte tuto",
}
