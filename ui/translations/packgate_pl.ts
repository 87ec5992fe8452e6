<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL">
<context>
    <name>Blocked</name>
    <message>
        <source>package still blocked</source>
        <translation>paczka nadal zablokowana</translation>
    </message>
    <message>
        <source>an empty code</source>
        <translation>pusty kod</translation>
    </message>
    <message>
        <source>Short at seal: {why}</source>
        <translation>Braki przy zamykaniu: {why}</translation>
    </message>
    <message>
        <source>{kind}: {code} — {why}</source>
        <translation>{kind}: {code} — {why}</translation>
    </message>
    <message>
        <source>{kind}: {why}</source>
        <translation>{kind}: {why}</translation>
    </message>
    <message numerus="yes">
        <source>{sku} {item}: %n missing</source>
        <translation>
            <numerusform>{sku} {item}: brakuje %n</numerusform>
            <numerusform>{sku} {item}: brakuje %n</numerusform>
            <numerusform>{sku} {item}: brakuje %n</numerusform>
        </translation>
    </message>
    <message>
        <source>{sku} {item}: {missing} missing</source>
        <translation>{sku} {item}: brakuje {missing}</translation>
    </message>
    <message>
        <source>Cannot seal order {order}: {why}</source>
        <translation>Nie można zamknąć zamówienia {order}: {why}</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more open incident(s) (see the list)</source>
        <translation>
            <numerusform>… i %n inny otwarty incydent (patrz lista)</numerusform>
            <numerusform>… i %n inne otwarte incydenty (patrz lista)</numerusform>
            <numerusform>… i %n innych otwartych incydentów (patrz lista)</numerusform>
        </translation>
    </message>
    <message>
        <source>… and more (see the list below)</source>
        <translation>… i więcej (patrz lista poniżej)</translation>
    </message>
    <message>
        <source>Also scanned: {code} – not a command this station knows, {blocked}</source>
        <translation>Zeskanowano też: {code} – nieznane polecenie, {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: {code} – seal refused, {blocked}</source>
        <translation>Zeskanowano też: {code} – zamknięcie odrzucone, {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: {code} – not done, {blocked}</source>
        <translation>Zeskanowano też: {code} – nie wykonano, {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: {code} – not counted, {blocked}</source>
        <translation>Zeskanowano też: {code} – nie policzono, {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: nothing (an empty code) – {blocked}</source>
        <translation>Zeskanowano też: nic (pusty kod) – {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: unreadable input from {source} ({reason}) – {blocked}</source>
        <translation>Zeskanowano też: nieczytelne dane z {source} ({reason}) – {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: {code} – NOT SAVED ({why}), {blocked}</source>
        <translation>Zeskanowano też: {code} – NIE ZAPISANO ({why}), {blocked}</translation>
    </message>
    <message>
        <source>{name} is packing – {blocked}: a supervisor must clear it first</source>
        <translation>{name} pakuje – {blocked}: najpierw musi zwolnić kierownik</translation>
    </message>
    <message numerus="yes">
        <source>One incident cleared by a supervisor – %n more incident(s) to clear, {blocked}</source>
        <translation>
            <numerusform>Kierownik zwolnił jeden incydent – został jeszcze %n, {blocked}</numerusform>
            <numerusform>Kierownik zwolnił jeden incydent – zostały jeszcze %n, {blocked}</numerusform>
            <numerusform>Kierownik zwolnił jeden incydent – zostało jeszcze %n, {blocked}</numerusform>
        </translation>
    </message>
    <message>
        <source>Who is packing? Scan your badge – {blocked}</source>
        <translation>Kto pakuje? Zeskanuj identyfikator – {blocked}</translation>
    </message>
</context>
<context>
    <name>CommandSheet</name>
    <message>
        <source>Seal the package</source>
        <extracomment>(barcode payload, what it does): the payload is what the station matches and is NEVER translated; the words under it are (context &quot;CommandSheet&quot;), in the site&apos;s language when the sheet is printed.</extracomment>
        <translation>Zamknij paczkę</translation>
    </message>
    <message>
        <source>Undo the last scan</source>
        <translation>Cofnij ostatni skan</translation>
    </message>
    <message>
        <source>Cancel the order</source>
        <translation>Anuluj zamówienie</translation>
    </message>
    <message>
        <source>Reprint the last slip and label</source>
        <translation>Wydrukuj ponownie ostatni list przewozowy i etykietę</translation>
    </message>
    <message>
        <source>PackGate command barcodes</source>
        <translation>Kody kreskowe poleceń PackGate</translation>
    </message>
</context>
<context>
    <name>Incident</name>
    <message numerus="yes">
        <source>%n unit(s)</source>
        <translation>
            <numerusform>%n sztuka</numerusform>
            <numerusform>%n sztuki</numerusform>
            <numerusform>%n sztuk</numerusform>
        </translation>
    </message>
    <message>
        <source>more scanned than ordered ({detail})</source>
        <translation>zeskanowano więcej niż zamówiono ({detail})</translation>
    </message>
    <message>
        <source>more scanned than ordered</source>
        <translation>zeskanowano więcej niż zamówiono</translation>
    </message>
    <message>
        <source>{scanned} scanned, {ordered} ordered</source>
        <translation>zeskanowano {scanned}, zamówiono {ordered}</translation>
    </message>
    <message>
        <source>the barcode is not valid: {detail}</source>
        <translation>kod kreskowy jest nieprawidłowy: {detail}</translation>
    </message>
    <message>
        <source>the barcode is not valid</source>
        <translation>kod kreskowy jest nieprawidłowy</translation>
    </message>
    <message>
        <source>expired on {date}</source>
        <translation>przeterminowany od {date}</translation>
    </message>
    <message>
        <source>past its expiry date</source>
        <translation>po terminie ważności</translation>
    </message>
    <message>
        <source>serial {serial} was already packed in this order</source>
        <translation>numer seryjny {serial} jest już spakowany w tym zamówieniu</translation>
    </message>
    <message>
        <source>this serial number was already packed in this order</source>
        <translation>ten numer seryjny jest już spakowany w tym zamówieniu</translation>
    </message>
    <message>
        <source>this serial was already packed in sealed order {order}</source>
        <translation>ten numer seryjny jest już w zamkniętym zamówieniu {order}</translation>
    </message>
    <message>
        <source>this serial was already packed in a sealed order</source>
        <translation>ten numer seryjny jest już w zamkniętym zamówieniu</translation>
    </message>
    <message>
        <source>recalled: {reason}</source>
        <translation>wycofany: {reason}</translation>
    </message>
    <message>
        <source>on the recall list</source>
        <translation>na liście wycofań</translation>
    </message>
    <message>
        <source>the parcel&apos;s weight does not fit ({detail})</source>
        <translation>waga paczki się nie zgadza ({detail})</translation>
    </message>
    <message>
        <source>the parcel&apos;s weight does not fit</source>
        <translation>waga paczki się nie zgadza</translation>
    </message>
    <message>
        <source>products without a known weight: {skus}</source>
        <translation>towary bez znanej wagi: {skus}</translation>
    </message>
    <message>
        <source>too heavy: weighed {measured} g, expected {expected} ± {tolerance} g</source>
        <translation>za ciężka: zważono {measured} g, oczekiwano {expected} ± {tolerance} g</translation>
    </message>
    <message>
        <source>too light: weighed {measured} g, expected {expected} ± {tolerance} g</source>
        <translation>za lekka: zważono {measured} g, oczekiwano {expected} ± {tolerance} g</translation>
    </message>
    <message>
        <source>items missing at seal</source>
        <translation>przy zamykaniu brakuje towaru</translation>
    </message>
    <message>
        <source>not on order {order}</source>
        <translation>nie ma w zamówieniu {order}</translation>
    </message>
    <message>
        <source>Wrong item</source>
        <translation>Zły towar</translation>
    </message>
    <message>
        <source>WRONG ITEM</source>
        <translation>ZŁY TOWAR</translation>
    </message>
    <message>
        <source>another order at this station lists it</source>
        <translation>jest w innym zamówieniu na tym stanowisku</translation>
    </message>
    <message>
        <source>Unknown code</source>
        <translation>Nieznany kod</translation>
    </message>
    <message>
        <source>UNKNOWN ITEM</source>
        <translation>NIEZNANY TOWAR</translation>
    </message>
    <message>
        <source>no order at this station lists it</source>
        <translation>nie ma go w żadnym zamówieniu na tym stanowisku</translation>
    </message>
    <message>
        <source>Too many</source>
        <translation>Za dużo</translation>
    </message>
    <message>
        <source>TOO MANY</source>
        <translation>ZA DUŻO</translation>
    </message>
    <message>
        <source>Unreadable code</source>
        <translation>Nieczytelny kod</translation>
    </message>
    <message>
        <source>INVALID CODE</source>
        <translation>ZŁY KOD</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Przeterminowany</translation>
    </message>
    <message>
        <source>EXPIRED</source>
        <translation>PRZETERMINOWANY</translation>
    </message>
    <message>
        <source>Serial scanned twice</source>
        <translation>Numer seryjny dwa razy</translation>
    </message>
    <message>
        <source>SAME SERIAL TWICE</source>
        <translation>NUMER DWA RAZY</translation>
    </message>
    <message>
        <source>Serial already shipped</source>
        <translation>Numer seryjny już wysłany</translation>
    </message>
    <message>
        <source>SERIAL ALREADY SHIPPED</source>
        <translation>NUMER JUŻ WYSŁANY</translation>
    </message>
    <message>
        <source>Recalled lot</source>
        <translation>Wycofana partia</translation>
    </message>
    <message>
        <source>RECALLED</source>
        <translation>WYCOFANY</translation>
    </message>
    <message>
        <source>Items missing</source>
        <translation>Brak towaru</translation>
    </message>
    <message>
        <source>SHORT</source>
        <translation>BRAKI</translation>
    </message>
    <message>
        <source>Weight mismatch</source>
        <translation>Zła waga</translation>
    </message>
    <message>
        <source>WEIGHT MISMATCH</source>
        <translation>ZŁA WAGA</translation>
    </message>
    <message>
        <source>the scale disagrees with what was scanned: open the box and count</source>
        <translation>waga nie zgadza się ze skanami: otwórz karton i policz</translation>
    </message>
    <message>
        <source>{units} missing: {lines}</source>
        <translation>brakuje {units}: {lines}</translation>
    </message>
</context>
<context>
    <name>PackerWindow</name>
    <message>
        <source>Open incidents</source>
        <translation>Otwarte incydenty</translation>
    </message>
    <message>
        <source>Your name, or scan your badge:</source>
        <translation>Twoje imię lub zeskanuj identyfikator:</translation>
    </message>
    <message>
        <source>Start shift</source>
        <translation>Zacznij zmianę</translation>
    </message>
    <message>
        <source>No names registered on this station: scan your badge or type your id below.</source>
        <translation>Brak zapisanych osób na tym stanowisku: zeskanuj identyfikator lub wpisz swój numer poniżej.</translation>
    </message>
    <message>
        <source>connected</source>
        <extracomment>A scan source&apos;s state as the status bar says it (a disconnected source is being reconnected).</extracomment>
        <translation>połączony</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>łączenie</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>ponowne łączenie</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>zatrzymany</translation>
    </message>
    <message>
        <source>Packer: —</source>
        <translation>Pakowacz: —</translation>
    </message>
    <message>
        <source>Station: {station}</source>
        <translation>Stanowisko: {station}</translation>
    </message>
    <message>
        <source>Sync: not configured</source>
        <translation>Synchronizacja: nie ustawiona</translation>
    </message>
    <message>
        <source>No scanner</source>
        <translation>Brak skanera</translation>
    </message>
    <message>
        <source>Sync: {status}</source>
        <translation>Synchronizacja: {status}</translation>
    </message>
    <message numerus="yes">
        <source>Scanner flooding: %Ln line(s) dropped ({source}). Check the scanner&apos;s settings.</source>
        <translation>
            <numerusform>Skaner zalewa danymi: odrzucono %Ln linię ({source}). Sprawdź ustawienia skanera.</numerusform>
            <numerusform>Skaner zalewa danymi: odrzucono %Ln linie ({source}). Sprawdź ustawienia skanera.</numerusform>
            <numerusform>Skaner zalewa danymi: odrzucono %Ln linii ({source}). Sprawdź ustawienia skanera.</numerusform>
        </translation>
    </message>
    <message>
        <source>No order</source>
        <translation>Brak zamówienia</translation>
    </message>
    <message>
        <source>No order on the bench</source>
        <translation>Brak zamówienia na stole</translation>
    </message>
    <message>
        <source>Scan an order barcode to start</source>
        <translation>Zeskanuj kod zamówienia, aby zacząć</translation>
    </message>
    <message>
        <source>Order {order}</source>
        <translation>Zamówienie {order}</translation>
    </message>
    <message>
        <source>Ship to: {address}</source>
        <translation>Odbiorca: {address}</translation>
    </message>
    <message>
        <source>Carrier: {carrier}</source>
        <translation>Przewoźnik: {carrier}</translation>
    </message>
    <message numerus="yes">
        <source>{scanned} / %n unit(s)</source>
        <translation>
            <numerusform>{scanned} / %n sztuka</numerusform>
            <numerusform>{scanned} / %n sztuki</numerusform>
            <numerusform>{scanned} / %n sztuk</numerusform>
        </translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Indeks</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Towar</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>Zeskanowano</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>Zamówiono</translation>
    </message>
    <message numerus="yes">
        <source>%n left</source>
        <translation>
            <numerusform>brak %n</numerusform>
            <numerusform>brak %n</numerusform>
            <numerusform>brak %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Supervisor: clear</source>
        <translation>Kierownik: zwolnij</translation>
    </message>
    <message>
        <source>Type or scan a code, then Enter</source>
        <translation>Wpisz lub zeskanuj kod, potem Enter</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>Kod:</translation>
    </message>
    <message>
        <source>Seal</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Cofnij</translation>
    </message>
    <message>
        <source>Cancel order</source>
        <translation>Anuluj zamówienie</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Plik</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Ustawienia…</translation>
    </message>
    <message>
        <source>Print command sheet…</source>
        <translation>Drukuj arkusz poleceń…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Zakończ</translation>
    </message>
    <message>
        <source>&amp;Pack</source>
        <translation>P&amp;akowanie</translation>
    </message>
    <message>
        <source>Seal package</source>
        <translation>Zamknij paczkę</translation>
    </message>
    <message>
        <source>Undo last scan</source>
        <translation>Cofnij ostatni skan</translation>
    </message>
    <message>
        <source>Supervisor clearance…</source>
        <translation>Zwolnienie przez kierownika…</translation>
    </message>
    <message>
        <source>Change packer…</source>
        <translation>Zmień pakowacza…</translation>
    </message>
    <message>
        <source>Type a code</source>
        <translation>Wpisz kod</translation>
    </message>
    <message>
        <source>Reload bench</source>
        <translation>Odśwież stół</translation>
    </message>
    <message>
        <source>&amp;Supervisor</source>
        <translation>&amp;Kierownik</translation>
    </message>
    <message>
        <source>Flagged packages…</source>
        <translation>Oznaczone paczki…</translation>
    </message>
    <message>
        <source>Shift view…</source>
        <translation>Widok zmiany…</translation>
    </message>
    <message>
        <source>Users…</source>
        <translation>Użytkownicy…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Widok</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Pełny ekran</translation>
    </message>
    <message>
        <source>Mute sounds</source>
        <translation>Wycisz dźwięki</translation>
    </message>
    <message>
        <source>PackGate — station {station}</source>
        <translation>PackGate — stanowisko {station}</translation>
    </message>
    <message>
        <source>Packer: {name}</source>
        <translation>Pakowacz: {name}</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>BŁĄD</translation>
    </message>
    <message>
        <source>This scan could not be handled ({error}). Scan again; if it repeats call a supervisor.</source>
        <translation>Nie udało się obsłużyć skanu ({error}). Zeskanuj ponownie; jeśli się powtórzy, wezwij kierownika.</translation>
    </message>
    <message>
        <source>NOTHING TO CLEAR</source>
        <translation>NIC DO ZWOLNIENIA</translation>
    </message>
    <message>
        <source>The package is not blocked.</source>
        <translation>Paczka nie jest zablokowana.</translation>
    </message>
    <message>
        <source>(The clearing screen is not installed on this station: clear the incident at the supervisor desk.)</source>
        <translation>(Na tym stanowisku nie ma ekranu zwalniania: zwolnij incydent przy biurku kierownika.)</translation>
    </message>
    <message>
        <source>NOT CLEARED</source>
        <translation>NIE ZWOLNIONO</translation>
    </message>
    <message>
        <source>Not cleared: {why} – {blocked}</source>
        <translation>Nie zwolniono: {why} – {blocked}</translation>
    </message>
    <message>
        <source>Cleared by a supervisor: continue.</source>
        <translation>Zwolnione przez kierownika: kontynuuj.</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>Drukowanie</translation>
    </message>
    <message>
        <source>Reprint last</source>
        <translation>Drukuj ostatni ponownie</translation>
    </message>
    <message>
        <source>Print the last sealed package&apos;s slip and label again (CMD:REPRINT)</source>
        <translation>Wydrukuj ponownie list i etykietę ostatniej zamkniętej paczki (CMD:REPRINT)</translation>
    </message>
    <message>
        <source>No reading from the scale</source>
        <extracomment>A reading older than this is not what is on the scale now (the scale stopped talking).</extracomment>
        <translation>Brak odczytu z wagi</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Print jobs cannot be read: {error}</source>
        <translation>Nie można odczytać zadań druku: {error}</translation>
    </message>
    <message>
        <source>packing slip</source>
        <translation>list przewozowy</translation>
    </message>
    <message>
        <source>shipping label</source>
        <translation>etykieta wysyłkowa</translation>
    </message>
    <message>
        <source>printer not reachable (off, unplugged or off the network)</source>
        <translation>drukarka nieosiągalna (wyłączona, odłączona lub poza siecią)</translation>
    </message>
    <message>
        <source>the print queue is not accepting jobs</source>
        <translation>kolejka druku nie przyjmuje zadań</translation>
    </message>
    <message>
        <source>no such print queue on the print server</source>
        <translation>nie ma takiej kolejki na serwerze druku</translation>
    </message>
    <message>
        <source>printer out of paper</source>
        <translation>brak papieru w drukarce</translation>
    </message>
    <message>
        <source>printer head open</source>
        <translation>głowica drukarki otwarta</translation>
    </message>
    <message>
        <source>printer paused</source>
        <translation>drukarka wstrzymana</translation>
    </message>
    <message>
        <source>the printer refused the job</source>
        <translation>drukarka odrzuciła zadanie</translation>
    </message>
    <message>
        <source>no printer is set for it (Settings, Printers)</source>
        <translation>nie ustawiono drukarki (Ustawienia, Drukarki)</translation>
    </message>
    <message>
        <source>the printer set for it cannot print this kind of document</source>
        <translation>ustawiona drukarka nie drukuje tego rodzaju dokumentu</translation>
    </message>
    <message>
        <source>the order&apos;s label is gone</source>
        <translation>brak etykiety zamówienia</translation>
    </message>
    <message>
        <source>the order is gone</source>
        <translation>zamówienia już nie ma</translation>
    </message>
    <message>
        <source>the document could not be made</source>
        <translation>nie udało się utworzyć dokumentu</translation>
    </message>
    <message>
        <source>PRINTED</source>
        <extracomment>headline word, colour and icon shape (``ui.verdict_panel.VerdictIcon``&apos;s kinds) per tone</extracomment>
        <translation>WYDRUKOWANO</translation>
    </message>
    <message>
        <source>WAITING</source>
        <translation>CZEKA</translation>
    </message>
    <message>
        <source>NOT PRINTED</source>
        <translation>NIE WYDRUKOWANO</translation>
    </message>
    <message>
        <source>NOTE</source>
        <translation>UWAGA</translation>
    </message>
    <message>
        <source>Shipping label for order {order}</source>
        <translation>Etykieta wysyłkowa do zamówienia {order}</translation>
    </message>
    <message>
        <source>Packing slip for order {order}</source>
        <translation>List przewozowy do zamówienia {order}</translation>
    </message>
    <message>
        <source>{what}: printed</source>
        <translation>{what}: wydrukowano</translation>
    </message>
    <message>
        <source>{what}: not printed, {why}. Scan CMD:REPRINT or press Reprint once fixed.</source>
        <translation>{what}: nie wydrukowano, {why}. Po naprawie zeskanuj CMD:REPRINT lub naciśnij Drukuj ponownie.</translation>
    </message>
    <message>
        <source>{what}: waiting, {why}</source>
        <translation>{what}: czeka, {why}</translation>
    </message>
    <message numerus="yes">
        <source>{what}: waiting, {why}, trying again in %n s</source>
        <translation>
            <numerusform>{what}: czeka, {why}, ponowna próba za %n s</numerusform>
            <numerusform>{what}: czeka, {why}, ponowna próba za %n s</numerusform>
            <numerusform>{what}: czeka, {why}, ponowna próba za %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>{what}: waiting, {why}, trying again now</source>
        <translation>{what}: czeka, {why}, ponowna próba teraz</translation>
    </message>
    <message>
        <source>{what}: printing</source>
        <translation>{what}: drukowanie</translation>
    </message>
    <message>
        <source>Printing is not set up: slips and labels are not printed (Settings, Printers)</source>
        <translation>Drukowanie nie jest ustawione: listy i etykiety nie są drukowane (Ustawienia, Drukarki)</translation>
    </message>
    <message>
        <source>Order {order} came without a shipping label: packing slip only</source>
        <translation>Zamówienie {order} przyszło bez etykiety: tylko list przewozowy</translation>
    </message>
    <message>
        <source>NOTHING TO REPRINT</source>
        <translation>NIC DO DRUKU</translation>
    </message>
    <message>
        <source>No package has been sealed at this bench yet</source>
        <translation>Na tym stole nie zamknięto jeszcze żadnej paczki</translation>
    </message>
    <message>
        <source>Printing the packing slip and shipping label for order {order} again</source>
        <translation>Ponowny druk listu i etykiety do zamówienia {order}</translation>
    </message>
    <message>
        <source>Printing the shipping label for order {order} again</source>
        <translation>Ponowny druk etykiety do zamówienia {order}</translation>
    </message>
    <message>
        <source>Printing the packing slip for order {order} again</source>
        <translation>Ponowny druk listu do zamówienia {order}</translation>
    </message>
    <message>
        <source>Printing the paperwork for order {order} again</source>
        <translation>Ponowny druk dokumentów do zamówienia {order}</translation>
    </message>
    <message>
        <source>REPRINTING</source>
        <translation>DRUK PONOWNY</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <source>the disk is full: nothing was saved</source>
        <translation>dysk jest pełny: nic nie zapisano</translation>
    </message>
    <message>
        <source>the database is busy (locked by another program): nothing was saved, scan again</source>
        <translation>baza danych jest zajęta (zablokowana przez inny program): nic nie zapisano, zeskanuj ponownie</translation>
    </message>
    <message>
        <source>the database is read-only: nothing was saved</source>
        <translation>baza danych jest tylko do odczytu: nic nie zapisano</translation>
    </message>
    <message>
        <source>the order kept changing on another bench or program: nothing was saved, scan again</source>
        <translation>zamówienie ciągle zmieniało się na innym stole lub w innym programie: nic nie zapisano, zeskanuj ponownie</translation>
    </message>
    <message>
        <source>the database refused the write ({detail}): nothing was saved</source>
        <translation>baza danych odrzuciła zapis ({detail}): nic nie zapisano</translation>
    </message>
    <message>
        <source>unknown resolution {resolution}; choose one of {choices}</source>
        <translation>nieznane rozwiązanie {resolution}; wybierz jedno z: {choices}</translation>
    </message>
    <message>
        <source>a reason is required</source>
        <translation>potrzebny jest powód</translation>
    </message>
    <message>
        <source>no incident {incident}</source>
        <translation>brak incydentu {incident}</translation>
    </message>
    <message>
        <source>incident {incident} is already {status}</source>
        <translation>incydent {incident} jest już {status}</translation>
    </message>
    <message>
        <source>four eyes: the packer who caused an incident cannot clear it</source>
        <translation>zasada czterech oczu: pakowacz, który spowodował incydent, nie może go zwolnić</translation>
    </message>
    <message>
        <source>order {order} is not on this bench: ship it short, pull it or escalate it at the bench where it is</source>
        <translation>zamówienia {order} nie ma na tym stole: wyślij z brakami, wycofaj lub przekaż dalej przy stole, na którym jest</translation>
    </message>
</context>
<context>
    <name>Scale</name>
    <message>
        <source>Overload: the parcel is too heavy for this scale</source>
        <translation>Przeciążenie: paczka jest za ciężka dla tej wagi</translation>
    </message>
    <message>
        <source>Below zero: empty the scale and zero it</source>
        <translation>Poniżej zera: opróżnij wagę i wyzeruj ją</translation>
    </message>
    <message>
        <source>The scale is busy (taring or zeroing): wait a moment</source>
        <translation>Waga jest zajęta (tarowanie lub zerowanie): chwilę poczekaj</translation>
    </message>
    <message>
        <source>The scale does not understand PackGate&apos;s request: check the protocol in Settings</source>
        <translation>Waga nie rozumie zapytania PackGate: sprawdź protokół w Ustawieniach</translation>
    </message>
    <message>
        <source>The scale heard garbled bytes: check the baud rate and the cable</source>
        <translation>Waga odebrała zniekształcone bajty: sprawdź prędkość transmisji i kabel</translation>
    </message>
    <message>
        <source>The scale refused the request (logical error)</source>
        <translation>Waga odrzuciła zapytanie (błąd logiczny)</translation>
    </message>
    <message>
        <source>The scale cannot find zero: empty it and zero it</source>
        <translation>Waga nie znajduje zera: opróżnij ją i wyzeruj</translation>
    </message>
    <message>
        <source>The scale&apos;s tare failed: clear the tare</source>
        <translation>Tarowanie wagi nie powiodło się: skasuj tarę</translation>
    </message>
    <message>
        <source>Unreadable bytes from the scale: check the baud rate</source>
        <translation>Nieczytelne bajty z wagi: sprawdź prędkość transmisji</translation>
    </message>
    <message>
        <source>An overlong line from the scale: check the protocol in Settings</source>
        <translation>Za długa linia z wagi: sprawdź protokół w Ustawieniach</translation>
    </message>
    <message>
        <source>A line the scale&apos;s protocol does not have: check the protocol in Settings</source>
        <translation>Linia, której nie ma w protokole wagi: sprawdź protokół w Ustawieniach</translation>
    </message>
    <message>
        <source>The scale shows a unit PackGate does not know: set it to g, kg, lb or oz</source>
        <translation>Waga pokazuje jednostkę nieznaną PackGate: ustaw g, kg, lb lub oz</translation>
    </message>
    <message>
        <source>The scale sent a weight that is not a number</source>
        <translation>Waga wysłała wagę, która nie jest liczbą</translation>
    </message>
    <message>
        <source>The scale is not answering: check its cable, protocol and baud rate</source>
        <translation>Waga nie odpowiada: sprawdź kabel, protokół i prędkość transmisji</translation>
    </message>
    <message>
        <source>{value} g</source>
        <translation>{value} g</translation>
    </message>
    <message>
        <source>No weight from the scale</source>
        <translation>Brak wagi z wagi</translation>
    </message>
    <message>
        <source>No reading from the scale</source>
        <translation>Brak odczytu z wagi</translation>
    </message>
    <message>
        <source>On the scale</source>
        <translation>Na wadze</translation>
    </message>
    <message>
        <source>Settling…</source>
        <translation>Stabilizuje się…</translation>
    </message>
    <message>
        <source>expected {expected} ± {tolerance}</source>
        <translation>oczekiwano {expected} ± {tolerance}</translation>
    </message>
    <message>
        <source>Settling… {target}</source>
        <translation>Stabilizuje się… {target}</translation>
    </message>
    <message numerus="yes">
        <source>; %n product(s) without a known weight</source>
        <translation>
            <numerusform>; %n towar bez znanej wagi</numerusform>
            <numerusform>; %n towary bez znanej wagi</numerusform>
            <numerusform>; %n towarów bez znanej wagi</numerusform>
        </translation>
    </message>
    <message>
        <source>At least {expected} expected{note}</source>
        <translation>Oczekiwano co najmniej {expected}{note}</translation>
    </message>
    <message>
        <source>Matches: {target}{note}</source>
        <translation>Zgadza się: {target}{note}</translation>
    </message>
    <message>
        <source>{difference} over: {target}{note}</source>
        <translation>{difference} za dużo: {target}{note}</translation>
    </message>
    <message>
        <source>{difference} under: {target}{note}</source>
        <translation>{difference} za mało: {target}{note}</translation>
    </message>
    <message>
        <source>Expected {expected} ± {tolerance} (carton {tare}), the scale says {measured}</source>
        <translation>Oczekiwano {expected} ± {tolerance} (karton {tare}), waga pokazuje {measured}</translation>
    </message>
    <message>
        <source>CARTON</source>
        <translation>KARTON</translation>
    </message>
    <message>
        <source>Carton {code}: {tare} tare</source>
        <translation>Karton {code}: tara {tare}</translation>
    </message>
    <message>
        <source>Order {order}: the parcel&apos;s weight does not fit what was scanned</source>
        <translation>Zamówienie {order}: waga paczki nie zgadza się ze skanami</translation>
    </message>
    <message>
        <source>Open the box and count the items against the order.</source>
        <translation>Otwórz karton i policz towar według zamówienia.</translation>
    </message>
    <message>
        <source>WEIGHT UNKNOWN</source>
        <translation>WAGA NIEZNANA</translation>
    </message>
    <message>
        <source>Order {order} holds products without a known weight: {skus}</source>
        <translation>Zamówienie {order} ma towary bez znanej wagi: {skus}</translation>
    </message>
    <message>
        <source>This site checks every parcel&apos;s weight.</source>
        <translation>Ten magazyn sprawdza wagę każdej paczki.</translation>
    </message>
    <message>
        <source>Order {order} is {difference} too heavy</source>
        <translation>Zamówienie {order} jest o {difference} za ciężkie</translation>
    </message>
    <message>
        <source>Do not seal it: something in the box was not scanned, or two items were scanned as one.</source>
        <translation>Nie zamykaj: coś w kartonie nie zostało zeskanowane albo dwa towary zeskanowano jako jeden.</translation>
    </message>
    <message>
        <source>Order {order} is {difference} too light</source>
        <translation>Zamówienie {order} jest o {difference} za lekkie</translation>
    </message>
    <message>
        <source>Do not seal it: something scanned is not in the box, or a case pack holds fewer items.</source>
        <translation>Nie zamykaj: czegoś zeskanowanego nie ma w kartonie albo opakowanie zbiorcze ma mniej sztuk.</translation>
    </message>
    <message>
        <source>Note: {skus} without a known weight; only checked that the parcel is not lighter than {expected} (it weighed {measured}).</source>
        <translation>Uwaga: {skus} bez znanej wagi; sprawdzono tylko, że paczka nie jest lżejsza niż {expected} (ważyła {measured}).</translation>
    </message>
    <message>
        <source>Weighed {measured} (expected {expected} ± {tolerance}).</source>
        <translation>Zważono {measured} (oczekiwano {expected} ± {tolerance}).</translation>
    </message>
    <message>
        <source>WEIGHING</source>
        <translation>WAŻENIE</translation>
    </message>
    <message>
        <source>Keep your hands off the scale: sealing on a stable weight</source>
        <translation>Nie dotykaj wagi: zamknięcie przy stabilnej wadze</translation>
    </message>
    <message>
        <source>SCALE NOT STEADY</source>
        <translation>WAGA NIESTABILNA</translation>
    </message>
    <message>
        <source>The weight did not settle within {seconds} s: nothing was sealed</source>
        <translation>Waga nie ustabilizowała się w {seconds} s: nic nie zamknięto</translation>
    </message>
    <message>
        <source>Make sure nothing touches the scale or the parcel (a hand, a cable, a draught), then seal again.</source>
        <translation>Upewnij się, że nic nie dotyka wagi ani paczki (ręka, kabel, przeciąg), potem zamknij ponownie.</translation>
    </message>
    <message>
        <source>NO WEIGHT</source>
        <translation>BRAK WAGI</translation>
    </message>
    <message>
        <source>Nothing was sealed: {why}</source>
        <translation>Nic nie zamknięto: {why}</translation>
    </message>
    <message>
        <source>This bench seals only on a weight. Fix the scale (see the status bar), then seal again.</source>
        <translation>Ten stół zamyka tylko po zważeniu. Napraw wagę (patrz pasek stanu), potem zamknij ponownie.</translation>
    </message>
    <message>
        <source>the scale is {state} ({detail})</source>
        <translation>waga jest {state} ({detail})</translation>
    </message>
    <message>
        <source>no weight came from the scale</source>
        <translation>z wagi nie przyszła waga</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Language (from the next start)</source>
        <translation>Język (od następnego uruchomienia)</translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message>
        <source>Scanned</source>
        <extracomment>The facts&apos; names (keys of `ClearingDialog.facts`), as shown.</extracomment>
        <translation>Zeskanowano</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Dlaczego</translation>
    </message>
    <message>
        <source>Packer</source>
        <extracomment>The same columns, short enough for a table on screen or an A4 page.</extracomment>
        <translation>Pakowacz</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Clear order {order}</source>
        <translation>Zwolnij zamówienie {order}</translation>
    </message>
    <message>
        <source>Order {order} blocked: {kind}</source>
        <translation>Zamówienie {order} zablokowane: {kind}</translation>
    </message>
    <message>
        <source>Signed in: &lt;b&gt;{name}&lt;/b&gt; ({role})</source>
        <translation>Zalogowano: &lt;b&gt;{name}&lt;/b&gt; ({role})</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>nieznany</translation>
    </message>
    <message>
        <source>{time} ({age} ago)</source>
        <translation>{time} ({age} temu)</translation>
    </message>
    <message>
        <source>Expected item</source>
        <translation>Oczekiwany towar</translation>
    </message>
    <message>
        <source>No camera frame</source>
        <translation>Brak obrazu z kamery</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Rozwiązanie</translation>
    </message>
    <message>
        <source>Note (what you found, what you did)</source>
        <translation>Notatka (co znaleziono, co zrobiono)</translation>
    </message>
    <message>
        <source>Clear package</source>
        <translation>Zwolnij paczkę</translation>
    </message>
    <message>
        <source>Escalate to central</source>
        <translation>Przekaż do centrali</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Missing, for credit / backorder: {missing}</source>
        <translation>Brakuje, do korekty / domówienia: {missing}</translation>
    </message>
    <message>
        <source>Nothing is missing: the package is complete.</source>
        <translation>Niczego nie brakuje: paczka jest kompletna.</translation>
    </message>
    <message>
        <source>Write a note saying what you found.</source>
        <translation>Napisz notatkę, co znaleziono.</translation>
    </message>
    <message>
        <source>Not done: {why}</source>
        <translation>Nie wykonano: {why}</translation>
    </message>
    <message>
        <source>Sign in to clear order {order}</source>
        <translation>Zaloguj się, aby zwolnić zamówienie {order}</translation>
    </message>
    <message>
        <source>Sign in to decide order {order}</source>
        <translation>Zaloguj się, aby zdecydować o zamówieniu {order}</translation>
    </message>
    <message>
        <source>Supervisor sign-in</source>
        <translation>Logowanie kierownika</translation>
    </message>
    <message>
        <source>scan your badge</source>
        <translation>zeskanuj identyfikator</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Identyfikator</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nazwa użytkownika</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
    <message>
        <source>Badge + PIN</source>
        <translation>Identyfikator + PIN</translation>
    </message>
    <message>
        <source>Name + password</source>
        <translation>Nazwa + hasło</translation>
    </message>
    <message>
        <source>new PIN</source>
        <translation>nowy PIN</translation>
    </message>
    <message>
        <source>new PIN again</source>
        <translation>nowy PIN ponownie</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>Nowy PIN</translation>
    </message>
    <message>
        <source>New PIN again</source>
        <translation>Nowy PIN ponownie</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Zaloguj</translation>
    </message>
    <message>
        <source>The two new PINs differ. Type the new PIN twice.</source>
        <translation>Dwa nowe PIN-y się różnią. Wpisz nowy PIN dwa razy.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Sprawdzanie…</translation>
    </message>
    <message>
        <source>Locked after too many wrong attempts. Try again after {time}, or ask an admin to lift the lockout or reset the PIN.</source>
        <translation>Zablokowano po zbyt wielu błędnych próbach. Spróbuj ponownie po {time} albo poproś administratora o zdjęcie blokady lub reset PIN-u.</translation>
    </message>
    <message>
        <source>PINs cannot be checked on this station: {why}. Call an admin.</source>
        <translation>Na tym stanowisku nie można sprawdzić PIN-ów: {why}. Wezwij administratora.</translation>
    </message>
    <message>
        <source>Not accepted: {why}.</source>
        <translation>Nie przyjęto: {why}.</translation>
    </message>
    <message>
        <source>Not signed in: {why}.</source>
        <translation>Nie zalogowano: {why}.</translation>
    </message>
    <message>
        <source>Your PIN must be changed before you sign in. Choose a new PIN of at least {digits} digits, and type it twice.</source>
        <translation>Przed zalogowaniem trzeba zmienić PIN. Wybierz nowy PIN z co najmniej {digits} cyfr i wpisz go dwa razy.</translation>
    </message>
    <message>
        <source>Any age</source>
        <translation>Dowolny wiek</translation>
    </message>
    <message>
        <source>Older than 30 min</source>
        <translation>Starsze niż 30 min</translation>
    </message>
    <message>
        <source>Older than 1 hour</source>
        <translation>Starsze niż 1 godzina</translation>
    </message>
    <message>
        <source>Past the 2-hour target</source>
        <translation>Po 2-godzinnym terminie</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Wiek</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Detected</source>
        <translation>Wykryto</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Stanowisko</translation>
    </message>
    <message>
        <source>{station}&apos;s incidents are read-only here: clear them at {station}&apos;s bench.</source>
        <translation>Incydenty stanowiska {station} są tu tylko do odczytu: zwolnij je przy stole {station}.</translation>
    </message>
    <message>
        <source>Flagged packages — {station}</source>
        <translation>Oznaczone paczki — {station}</translation>
    </message>
    <message>
        <source>Flagged packages</source>
        <translation>Oznaczone paczki</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Nie zalogowano</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Wyloguj</translation>
    </message>
    <message>
        <source>This station</source>
        <translation>To stanowisko</translation>
    </message>
    <message>
        <source>Whole site</source>
        <translation>Cały magazyn</translation>
    </message>
    <message>
        <source>All problems</source>
        <translation>Wszystkie problemy</translation>
    </message>
    <message>
        <source>All packers</source>
        <translation>Wszyscy pakowacze</translation>
    </message>
    <message>
        <source>Open incident…</source>
        <translation>Otwórz incydent…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Odśwież</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Pokaż:</translation>
    </message>
    <message>
        <source>{station} (this)</source>
        <translation>{station} (to)</translation>
    </message>
    <message numerus="yes">
        <source> at %n station(s)</source>
        <translation>
            <numerusform> na %n stanowisku</numerusform>
            <numerusform> na %n stanowiskach</numerusform>
            <numerusform> na %n stanowiskach</numerusform>
        </translation>
    </message>
    <message>
        <source>{open} open{where} · {overdue} past the 2-hour target</source>
        <translation>{open} otwartych{where} · {overdue} po 2-godzinnym terminie</translation>
    </message>
    <message>
        <source> · showing {shown}</source>
        <translation> · pokazano {shown}</translation>
    </message>
    <message>
        <source>Signed in: {name}</source>
        <translation>Zalogowano: {name}</translation>
    </message>
    <message>
        <source>Shift — {station}</source>
        <translation>Zmiana — {station}</translation>
    </message>
    <message>
        <source>Shift —</source>
        <translation>Zmiana —</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Poprzednia</translation>
    </message>
    <message>
        <source>This shift</source>
        <translation>Ta zmiana</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Następna ▶</translation>
    </message>
    <message>
        <source>orders packed</source>
        <translation>spakowane zamówienia</translation>
    </message>
    <message>
        <source>lines scanned</source>
        <translation>zeskanowane pozycje</translation>
    </message>
    <message>
        <source>incidents</source>
        <translation>incydenty</translation>
    </message>
    <message>
        <source>errors per order line</source>
        <translation>błędy na pozycję</translation>
    </message>
    <message>
        <source>mean time to clearance</source>
        <translation>średni czas do zwolnienia</translation>
    </message>
    <message>
        <source>open flags now</source>
        <translation>otwarte teraz</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Liczba</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Eksportuj CSV…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>Eksportuj PDF…</translation>
    </message>
    <message>
        <source>Hand over shift…</source>
        <translation>Przekaż zmianę…</translation>
    </message>
    <message>
        <source>Acknowledge hand-over…</source>
        <translation>Potwierdź przekazanie…</translation>
    </message>
    <message numerus="yes">
        <source>Hand-over from {who} at {time}: %n open incident(s) — waiting for the next supervisor to acknowledge.</source>
        <translation>
            <numerusform>Przekazanie od {who} o {time}: %n otwarty incydent — czeka na potwierdzenie następnego kierownika.</numerusform>
            <numerusform>Przekazanie od {who} o {time}: %n otwarte incydenty — czeka na potwierdzenie następnego kierownika.</numerusform>
            <numerusform>Przekazanie od {who} o {time}: %n otwartych incydentów — czeka na potwierdzenie następnego kierownika.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Last hand-over from {who} acknowledged by {by} at {time} (%n open incident(s) taken over).</source>
        <translation>
            <numerusform>Ostatnie przekazanie od {who} potwierdził(a) {by} o {time} (przejęto %n otwarty incydent).</numerusform>
            <numerusform>Ostatnie przekazanie od {who} potwierdził(a) {by} o {time} (przejęto %n otwarte incydenty).</numerusform>
            <numerusform>Ostatnie przekazanie od {who} potwierdził(a) {by} o {time} (przejęto %n otwartych incydentów).</numerusform>
        </translation>
    </message>
    <message>
        <source>No hand-over yet.</source>
        <translation>Jeszcze bez przekazania.</translation>
    </message>
    <message>
        <source>Export shift report ({format})</source>
        <translation>Eksportuj raport zmiany ({format})</translation>
    </message>
    <message>
        <source>{format} files</source>
        <translation>Pliki {format}</translation>
    </message>
    <message>
        <source>Report not saved: {why}</source>
        <translation>Nie zapisano raportu: {why}</translation>
    </message>
    <message>
        <source>Report saved to {path}</source>
        <translation>Raport zapisano w {path}</translation>
    </message>
    <message>
        <source>Sign in to hand over the shift</source>
        <translation>Zaloguj się, aby przekazać zmianę</translation>
    </message>
    <message>
        <source>Sign in to take over the shift</source>
        <translation>Zaloguj się, aby przejąć zmianę</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Użytkownicy</translation>
    </message>
    <message>
        <source>Sign in as an admin to make changes</source>
        <translation>Zaloguj się jako administrator, aby zmieniać</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Zaloguj…</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>Wyświetlana nazwa</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rola</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Logowanie</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Users — {station}</source>
        <translation>Użytkownicy — {station}</translation>
    </message>
    <message>
        <source>PIN (new or reset)</source>
        <translation>PIN (nowy lub zresetowany)</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>Dodaj użytkownika</translation>
    </message>
    <message>
        <source>Disable selected</source>
        <translation>Wyłącz zaznaczonego</translation>
    </message>
    <message>
        <source>Reset PIN of selected</source>
        <translation>Zresetuj PIN zaznaczonego</translation>
    </message>
    <message>
        <source>Unlock selected</source>
        <translation>Odblokuj zaznaczonego</translation>
    </message>
    <message>
        <source>Lift a lockout after wrong PINs; the PIN stays as it is</source>
        <translation>Zdejmij blokadę po błędnych PIN-ach; PIN zostaje bez zmian</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>wyłączony</translation>
    </message>
    <message>
        <source>locked until {time}</source>
        <translation>zablokowany do {time}</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktywny</translation>
    </message>
    <message>
        <source>Admin sign-in</source>
        <translation>Logowanie administratora</translation>
    </message>
    <message>
        <source>Signed in: {name} (admin)</source>
        <translation>Zalogowano: {name} (administrator)</translation>
    </message>
    <message>
        <source>Sign in as an admin first.</source>
        <translation>Najpierw zaloguj się jako administrator.</translation>
    </message>
    <message>
        <source>Signed in: {name} (admin) — {done}</source>
        <translation>Zalogowano: {name} (administrator) — {done}</translation>
    </message>
    <message>
        <source>added {name}</source>
        <translation>dodano {name}</translation>
    </message>
    <message>
        <source>disabled {name}</source>
        <translation>wyłączono {name}</translation>
    </message>
    <message>
        <source>new PIN for {name}</source>
        <translation>nowy PIN dla {name}</translation>
    </message>
    <message>
        <source>unlocked {name}</source>
        <translation>odblokowano {name}</translation>
    </message>
    <message>
        <source>Shift view: supervisor sign-in</source>
        <translation>Widok zmiany: logowanie kierownika</translation>
    </message>
    <message>
        <source>Incidents per hour</source>
        <translation>Incydenty na godzinę</translation>
    </message>
    <message>
        <source>Hour (local time)</source>
        <translation>Godzina (czas lokalny)</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Incydenty</translation>
    </message>
    <message>
        <source>Item swapped and rescanned</source>
        <translation>Towar wymieniony i zeskanowany ponownie</translation>
    </message>
    <message>
        <source>Quantity corrected</source>
        <translation>Ilość poprawiona</translation>
    </message>
    <message>
        <source>Ship short: missing lines go to credit / backorder</source>
        <translation>Wyślij z brakami: brakujące pozycje do korekty / domówienia</translation>
    </message>
    <message>
        <source>Pull the package for a full re-pick</source>
        <translation>Wycofaj paczkę do ponownej kompletacji</translation>
    </message>
    <message>
        <source>False alarm (e.g. damaged label): note required</source>
        <translation>Fałszywy alarm (np. uszkodzona etykieta): notatka wymagana</translation>
    </message>
    <message>
        <source>Other: note required</source>
        <translation>Inne: notatka wymagana</translation>
    </message>
    <message>
        <source>The note is {length} characters long; at most {limit} are kept. Shorten it.</source>
        <translation>Notatka ma {length} znaków; zapisuje się najwyżej {limit}. Skróć ją.</translation>
    </message>
    <message>
        <source>{item}, SKU {sku} of order {order}</source>
        <translation>{item}, indeks {sku} z zamówienia {order}</translation>
    </message>
    <message>
        <source>belongs to no line of order {order}</source>
        <translation>nie należy do żadnej pozycji zamówienia {order}</translation>
    </message>
    <message>
        <source>site view unavailable: {error}</source>
        <translation>widok magazynu niedostępny: {error}</translation>
    </message>
    <message>
        <source>Loading the site view…</source>
        <translation>Wczytywanie widoku magazynu…</translation>
    </message>
    <message>
        <source>This station belongs to no site at the central service: only its own incidents are listed.</source>
        <translation>To stanowisko nie należy w centrali do żadnego magazynu: widać tylko jego własne incydenty.</translation>
    </message>
    <message>
        <source>Site {site}: other benches&apos; incidents are read-only here.</source>
        <translation>Magazyn {site}: incydenty innych stołów są tu tylko do odczytu.</translation>
    </message>
    <message>
        <source> Only the oldest {count} are listed.</source>
        <translation> Widać tylko {count} najstarszych.</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>Braki</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Pozycje</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Sztuki</translation>
    </message>
    <message>
        <source>Errors/line</source>
        <translation>Błędy/poz.</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>Zwolnione</translation>
    </message>
    <message>
        <source>Mean to clear</source>
        <translation>Śr. do zwolnienia</translation>
    </message>
    <message>
        <source>{who} is a {role}: a supervisor signs the hand-over</source>
        <translation>{who} ma rolę {role}: przekazanie podpisuje kierownik</translation>
    </message>
    <message>
        <source>no such hand-over</source>
        <translation>nie ma takiego przekazania</translation>
    </message>
    <message>
        <source>already acknowledged by {who}</source>
        <translation>już potwierdzone przez {who}</translation>
    </message>
    <message>
        <source>the next supervisor acknowledges a hand-over, not the one who made it</source>
        <translation>przekazanie potwierdza następny kierownik, nie ten, kto je zrobił</translation>
    </message>
</context>
<context>
    <name>Users</name>
    <message>
        <source>badge, name, PIN or password not accepted</source>
        <translation>identyfikator, nazwa, PIN lub hasło nie zostały przyjęte</translation>
    </message>
    <message>
        <source>a user name is 1-64 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit</source>
        <translation>nazwa użytkownika to 1-64 liter, cyfr, &apos;.&apos;, &apos;_&apos; lub &apos;-&apos;, zaczynająca się literą lub cyfrą</translation>
    </message>
    <message>
        <source>unknown role {role}; choose one of {roles}</source>
        <translation>nieznana rola {role}; wybierz jedną z: {roles}</translation>
    </message>
    <message>
        <source>a PIN goes with a badge: give --badge too</source>
        <translation>PIN działa z identyfikatorem: podaj też --badge</translation>
    </message>
    <message>
        <source>a {role} needs a PIN or a password to log in</source>
        <translation>{role} potrzebuje PIN-u lub hasła do logowania</translation>
    </message>
    <message>
        <source>a {role} needs a PIN or a password to log in: set one first</source>
        <translation>{role} potrzebuje PIN-u lub hasła do logowania: najpierw ustaw</translation>
    </message>
    <message>
        <source>user {name} already exists</source>
        <translation>użytkownik {name} już istnieje</translation>
    </message>
    <message>
        <source>that badge is already assigned to another user</source>
        <translation>ten identyfikator ma już inny użytkownik</translation>
    </message>
    <message>
        <source>that badge is the {field} of order {order}: scanned at the bench it would open that order, not sign anyone in; choose another badge</source>
        <translation>ten identyfikator to {field} zamówienia {order}: zeskanowany przy stole otworzyłby zamówienie zamiast zalogować; wybierz inny</translation>
    </message>
    <message>
        <source>user {name} or that badge already exists</source>
        <translation>użytkownik {name} lub ten identyfikator już istnieje</translation>
    </message>
    <message>
        <source>{name} has no badge: a PIN is used with a badge scan</source>
        <translation>{name} nie ma identyfikatora: PIN działa ze skanem identyfikatora</translation>
    </message>
    <message>
        <source>the new PIN must differ from the old one</source>
        <translation>nowy PIN musi różnić się od starego</translation>
    </message>
    <message>
        <source>no user {name}</source>
        <translation>brak użytkownika {name}</translation>
    </message>
    <message>
        <source>a PIN is digits only</source>
        <translation>PIN to same cyfry</translation>
    </message>
    <message>
        <source>a PIN has {low} to {high} digits</source>
        <translation>PIN ma od {low} do {high} cyfr</translation>
    </message>
    <message>
        <source>a password has at least {low} characters</source>
        <translation>hasło ma co najmniej {low} znaków</translation>
    </message>
    <message>
        <source>packer</source>
        <extracomment>A role as the screens name it (the stored value is the English word).</extracomment>
        <translation>pakowacz</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>kierownik</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>administrator</translation>
    </message>
    <message>
        <source>only a supervisor can clear a package</source>
        <extracomment>After &quot;NAME is a ROLE: &quot;, what the task needs.</extracomment>
        <translation>tylko kierownik może zwolnić paczkę</translation>
    </message>
    <message>
        <source>only an admin changes users</source>
        <translation>tylko administrator zmienia użytkowników</translation>
    </message>
    <message>
        <source>only an admin manages users</source>
        <translation>tylko administrator zarządza użytkownikami</translation>
    </message>
    <message>
        <source>a supervisor signs the hand-over</source>
        <translation>przekazanie podpisuje kierownik</translation>
    </message>
    <message>
        <source>only a supervisor or admin changes the settings</source>
        <translation>tylko kierownik lub administrator zmienia ustawienia</translation>
    </message>
    <message>
        <source>{name}&apos;s account is disabled</source>
        <translation>konto {name} jest wyłączone</translation>
    </message>
    <message>
        <source>{name} packed this order: another supervisor must clear it</source>
        <translation>{name} pakował(a) to zamówienie: musi zwolnić inny kierownik</translation>
    </message>
    <message>
        <source>the shift view is for supervisors</source>
        <translation>widok zmiany jest dla kierowników</translation>
    </message>
    <message>
        <source>{name} is a {role}: {needs}</source>
        <translation>{name} ma rolę {role}: {needs}</translation>
    </message>
    <message>
        <source>account locked until {time} UTC after {attempts} wrong attempts</source>
        <translation>konto zablokowane do {time} UTC po {attempts} błędnych próbach</translation>
    </message>
    <message>
        <source>choose a new PIN of at least {digits} digits to sign in</source>
        <translation>aby się zalogować, wybierz nowy PIN z co najmniej {digits} cyfr</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>BLOCKED</source>
        <translation>ZABLOKOWANE</translation>
    </message>
    <message>
        <source>Order {order} is blocked by an open incident</source>
        <translation>Zamówienie {order} blokuje otwarty incydent</translation>
    </message>
    <message numerus="yes">
        <source>Cannot seal order {order}: %n unit(s) still missing</source>
        <translation>
            <numerusform>Nie można zamknąć zamówienia {order}: brakuje jeszcze %n sztuki</numerusform>
            <numerusform>Nie można zamknąć zamówienia {order}: brakuje jeszcze %n sztuk</numerusform>
            <numerusform>Nie można zamknąć zamówienia {order}: brakuje jeszcze %n sztuk</numerusform>
        </translation>
    </message>
    <message>
        <source>Supervisor: scan your badge to clear</source>
        <translation>Kierownik: zeskanuj identyfikator, aby zwolnić</translation>
    </message>
    <message>
        <source>the database file was deleted while PackGate was running</source>
        <extracomment>Why the station stopped (station.file_guard.FileProblem value -&gt; what happened, in words).</extracomment>
        <translation>plik bazy danych usunięto podczas pracy PackGate</translation>
    </message>
    <message>
        <source>the database file was replaced while PackGate was running</source>
        <translation>plik bazy danych podmieniono podczas pracy PackGate</translation>
    </message>
    <message>
        <source>the database&apos;s journal (-wal) file was deleted while PackGate was running</source>
        <translation>plik dziennika bazy (-wal) usunięto podczas pracy PackGate</translation>
    </message>
    <message>
        <source>the database&apos;s journal (-wal) file was replaced while PackGate was running</source>
        <translation>plik dziennika bazy (-wal) podmieniono podczas pracy PackGate</translation>
    </message>
    <message>
        <source>the database file was deleted or replaced while PackGate was running</source>
        <translation>plik bazy danych usunięto lub podmieniono podczas pracy PackGate</translation>
    </message>
    <message>
        <source>The bench has stopped: nothing is saved until PackGate is restarted. Call a supervisor.</source>
        <translation>Stół zatrzymany: nic się nie zapisze do ponownego uruchomienia PackGate. Wezwij kierownika.</translation>
    </message>
    <message>
        <source>What was saved before is kept in {path}.</source>
        <translation>To, co zapisano wcześniej, jest w {path}.</translation>
    </message>
    <message>
        <source>NOT SAVED</source>
        <translation>NIE ZAPISANO</translation>
    </message>
    <message>
        <source>Not saved: {what}. This scan and any further scan are not kept.</source>
        <translation>Nie zapisano: {what}. Ten i kolejne skany nie zostaną zachowane.</translation>
    </message>
    <message>
        <source>Not saved: {why}</source>
        <translation>Nie zapisano: {why}</translation>
    </message>
    <message>
        <source>Scan the item again. If this repeats, call a supervisor.</source>
        <translation>Zeskanuj towar ponownie. Jeśli się powtórzy, wezwij kierownika.</translation>
    </message>
    <message>
        <source>SCAN AGAIN</source>
        <translation>SKANUJ PONOWNIE</translation>
    </message>
    <message>
        <source>Unreadable scan from {source}: {reason}</source>
        <translation>Nieczytelny skan z {source}: {reason}</translation>
    </message>
    <message>
        <source>WHO IS PACKING?</source>
        <translation>KTO PAKUJE?</translation>
    </message>
    <message>
        <source>Scan your badge or pick your name to start the shift</source>
        <translation>Zeskanuj identyfikator lub wybierz swoje imię, aby zacząć zmianę</translation>
    </message>
    <message>
        <source>HELLO</source>
        <translation>CZEŚĆ</translation>
    </message>
    <message>
        <source>{name} is packing. Scan the order barcode to start.</source>
        <translation>{name} pakuje. Zeskanuj kod zamówienia, aby zacząć.</translation>
    </message>
    <message>
        <source>UNKNOWN BADGE</source>
        <translation>NIEZNANA KARTA</translation>
    </message>
    <message>
        <source>Badge {code} is not registered on this station</source>
        <translation>Identyfikator {code} nie jest zapisany na tym stanowisku</translation>
    </message>
    <message>
        <source>Scan your own badge or pick your name.</source>
        <translation>Zeskanuj własny identyfikator lub wybierz swoje imię.</translation>
    </message>
    <message>
        <source>this item</source>
        <translation>ten towar</translation>
    </message>
    <message>
        <source>{scanned} of {ordered}</source>
        <translation>{scanned} z {ordered}</translation>
    </message>
    <message numerus="yes">
        <source>{sku} {item}: %n missing ({scanned} of {ordered})</source>
        <translation>
            <numerusform>{sku} {item}: brakuje %n ({scanned} z {ordered})</numerusform>
            <numerusform>{sku} {item}: brakuje %n ({scanned} z {ordered})</numerusform>
            <numerusform>{sku} {item}: brakuje %n ({scanned} z {ordered})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more line(s) (see the list below)</source>
        <translation>
            <numerusform>… i %n pozycja więcej (patrz lista poniżej)</numerusform>
            <numerusform>… i %n pozycje więcej (patrz lista poniżej)</numerusform>
            <numerusform>… i %n pozycji więcej (patrz lista poniżej)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{scanned} of %n unit(s)</source>
        <translation>
            <numerusform>{scanned} z %n sztuki</numerusform>
            <numerusform>{scanned} z %n sztuk</numerusform>
            <numerusform>{scanned} z %n sztuk</numerusform>
        </translation>
    </message>
    <message>
        <source>COMPLETE</source>
        <translation>KOMPLET</translation>
    </message>
    <message>
        <source>All {progress} scanned. Scan SEAL to close the package.</source>
        <translation>Zeskanowano wszystko: {progress}. Zeskanuj SEAL, aby zamknąć paczkę.</translation>
    </message>
    <message>
        <source>{item}: {count} — case pack, +{units}</source>
        <translation>{item}: {count} — opakowanie zbiorcze, +{units}</translation>
    </message>
    <message>
        <source>{item}: {count}</source>
        <translation>{item}: {count}</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Wrong item: {code} is not on order {order}</source>
        <translation>Zły towar: {code} nie ma w zamówieniu {order}</translation>
    </message>
    <message>
        <source>Take it out of the package.</source>
        <translation>Wyjmij go z paczki.</translation>
    </message>
    <message>
        <source>Unknown barcode: {code} is not on order {order} or any known order</source>
        <translation>Nieznany kod: {code} nie ma w zamówieniu {order} ani w żadnym znanym zamówieniu</translation>
    </message>
    <message>
        <source>Too many: order {order} wants {ordered} of {item}; this scan would make {made}</source>
        <translation>Za dużo: zamówienie {order} chce {ordered} z {item}; ten skan dałby {made}</translation>
    </message>
    <message>
        <source>Take the extra item out.</source>
        <translation>Wyjmij nadmiarowy towar.</translation>
    </message>
    <message>
        <source>Invalid barcode {code}: {reason}</source>
        <translation>Nieprawidłowy kod {code}: {reason}</translation>
    </message>
    <message>
        <source>Invalid barcode {code}</source>
        <translation>Nieprawidłowy kod {code}</translation>
    </message>
    <message>
        <source>Nothing was counted. Scan the order barcode first.</source>
        <translation>Nic nie policzono. Najpierw zeskanuj kod zamówienia.</translation>
    </message>
    <message>
        <source>The label may be damaged or misprinted.</source>
        <translation>Etykieta może być uszkodzona lub źle wydrukowana.</translation>
    </message>
    <message>
        <source>Expired: {item}{lot} expired on {date}</source>
        <translation>Przeterminowany: {item}{lot} ważny do {date}</translation>
    </message>
    <message>
        <source>Do not ship it.</source>
        <translation>Nie wysyłaj.</translation>
    </message>
    <message>
        <source> serial {serial}</source>
        <translation> numer seryjny {serial}</translation>
    </message>
    <message>
        <source>Recalled: {item}{lot}{serial} — {reason}</source>
        <translation>Wycofany: {item}{lot}{serial} — {reason}</translation>
    </message>
    <message>
        <source>Do not ship it: put it in quarantine.</source>
        <translation>Nie wysyłaj: odłóż do kwarantanny.</translation>
    </message>
    <message>
        <source>Serial {serial} of {item} was already scanned on order {order}</source>
        <translation>Numer seryjny {serial} towaru {item} zeskanowano już w zamówieniu {order}</translation>
    </message>
    <message>
        <source>The same unit was scanned twice, or the label is copied.</source>
        <translation>Tę samą sztukę zeskanowano dwa razy albo etykieta jest skopiowana.</translation>
    </message>
    <message>
        <source>Serial {serial} of {item} was already packed in sealed order {other}</source>
        <translation>Numer seryjny {serial} towaru {item} jest już w zamkniętym zamówieniu {other}</translation>
    </message>
    <message>
        <source>Do not ship it: take it out and put it aside (a copied label, or a return never booked back in).</source>
        <translation>Nie wysyłaj: wyjmij i odłóż (skopiowana etykieta albo zwrot, którego nie przyjęto na stan).</translation>
    </message>
    <message>
        <source>Seal refused: order {order} is blocked until a supervisor clears it</source>
        <translation>Zamknięcie odrzucone: zamówienie {order} jest zablokowane do zwolnienia przez kierownika</translation>
    </message>
    <message>
        <source>Not counted: order {order} is blocked until a supervisor clears it</source>
        <translation>Nie policzono: zamówienie {order} jest zablokowane do zwolnienia przez kierownika</translation>
    </message>
    <message>
        <source>STILL BLOCKED</source>
        <translation>NADAL ZABLOKOWANE</translation>
    </message>
    <message>
        <source>Order {order}: all {progress} scanned. Scan SEAL.</source>
        <translation>Zamówienie {order}: zeskanowano wszystko ({progress}). Zeskanuj SEAL.</translation>
    </message>
    <message>
        <source>ORDER LOADED</source>
        <translation>ZAMÓWIENIE WCZYTANE</translation>
    </message>
    <message>
        <source>Order {order}: scan the items ({progress} so far)</source>
        <translation>Zamówienie {order}: skanuj towar (na razie {progress})</translation>
    </message>
    <message>
        <source>Order {order} sealed (short-shipped by supervisor). Scan the next order.</source>
        <translation>Zamówienie {order} zamknięte (kierownik wysłał z brakami). Zeskanuj następne zamówienie.</translation>
    </message>
    <message>
        <source>Order {order} sealed. Scan the next order.</source>
        <translation>Zamówienie {order} zamknięte. Zeskanuj następne zamówienie.</translation>
    </message>
    <message>
        <source>SEALED</source>
        <translation>ZAMKNIĘTE</translation>
    </message>
    <message>
        <source>UNDONE</source>
        <translation>COFNIĘTO</translation>
    </message>
    <message>
        <source>Taken back: {units} of {item} (now {count})</source>
        <translation>Cofnięto: {units} z {item} (teraz {count})</translation>
    </message>
    <message>
        <source>CANCELLED</source>
        <translation>ANULOWANE</translation>
    </message>
    <message>
        <source>Order {order} cancelled and its counts reset. Unpack it, then scan the next order.</source>
        <translation>Zamówienie {order} anulowane, liczniki wyzerowane. Rozpakuj je, potem zeskanuj następne zamówienie.</translation>
    </message>
    <message>
        <source>ESCALATED</source>
        <translation>PRZEKAZANE</translation>
    </message>
    <message>
        <source>Handed to the central team: take the package off the bench. Scan the next order.</source>
        <translation>Przekazane do centrali: zdejmij paczkę ze stołu. Zeskanuj następne zamówienie.</translation>
    </message>
    <message>
        <source> lot {lot}</source>
        <translation> partia {lot}</translation>
    </message>
    <message>
        <source>One incident cleared; order {order} has more open incidents</source>
        <translation>Zwolniono jeden incydent; zamówienie {order} ma kolejne otwarte incydenty</translation>
    </message>
    <message>
        <source>Cleared by supervisor: order {order} sealed. Scan the next order.</source>
        <translation>Zwolnione przez kierownika: zamówienie {order} zamknięte. Zeskanuj następne zamówienie.</translation>
    </message>
    <message>
        <source>CLEARED</source>
        <translation>ZWOLNIONE</translation>
    </message>
    <message>
        <source>Cleared by supervisor: the order was pulled. Scan the next order.</source>
        <translation>Zwolnione przez kierownika: zamówienie wycofano. Zeskanuj następne zamówienie.</translation>
    </message>
    <message>
        <source>Cleared by supervisor: continue packing order {order}</source>
        <translation>Zwolnione przez kierownika: pakuj dalej zamówienie {order}</translation>
    </message>
    <message>
        <source>SCAN ITEMS</source>
        <translation>SKANUJ TOWAR</translation>
    </message>
    <message>
        <source>Order {order}: {progress} scanned</source>
        <translation>Zamówienie {order}: zeskanowano {progress}</translation>
    </message>
    <message>
        <source>SCAN ORDER</source>
        <translation>SKANUJ ZAMÓWIENIE</translation>
    </message>
    <message>
        <source>Scan the order barcode to start packing</source>
        <translation>Zeskanuj kod zamówienia, aby zacząć pakowanie</translation>
    </message>
    <message>
        <source>Seal</source>
        <extracomment>What each command is called when it needs an order first (by its barcode&apos;s word).</extracomment>
        <translation>Zamknięcie</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Cofnięcie</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anulowanie</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Ponowny druk</translation>
    </message>
    <message>
        <source>NO ORDER</source>
        <translation>BRAK ZAMÓWIENIA</translation>
    </message>
    <message>
        <source>{command} needs an order on the bench: scan an order first</source>
        <translation>{command} wymaga zamówienia na stole: najpierw zeskanuj zamówienie</translation>
    </message>
    <message>
        <source>SCAN ORDER FIRST</source>
        <translation>NAJPIERW ZAMÓWIENIE</translation>
    </message>
    <message>
        <source>{code} is an item: scan the order barcode first</source>
        <translation>{code} to towar: najpierw zeskanuj kod zamówienia</translation>
    </message>
    <message>
        <source>No order or item {code} ({why}): check the label</source>
        <translation>Brak zamówienia ani towaru {code} ({why}): sprawdź etykietę</translation>
    </message>
    <message>
        <source>No order or item {code}: check the label</source>
        <translation>Brak zamówienia ani towaru {code}: sprawdź etykietę</translation>
    </message>
    <message>
        <source>NOT AN ORDER</source>
        <translation>TO NIE ZAMÓWIENIE</translation>
    </message>
    <message>
        <source>FINISH THIS ORDER</source>
        <translation>NAJPIERW SKOŃCZ</translation>
    </message>
    <message>
        <source>Order {other} not loaded: finish or cancel order {order} first</source>
        <translation>Nie wczytano zamówienia {other}: najpierw skończ lub anuluj zamówienie {order}</translation>
    </message>
    <message>
        <source>ALREADY SEALED</source>
        <translation>JUŻ ZAMKNIĘTE</translation>
    </message>
    <message>
        <source>Order {other} is already sealed</source>
        <translation>Zamówienie {other} jest już zamknięte</translation>
    </message>
    <message>
        <source>NOTHING TO UNDO</source>
        <translation>NIC DO COFNIĘCIA</translation>
    </message>
    <message>
        <source>Nothing counted yet on this order</source>
        <translation>W tym zamówieniu nic jeszcze nie policzono</translation>
    </message>
    <message>
        <source>UNKNOWN COMMAND</source>
        <translation>NIEZNANE POLECENIE</translation>
    </message>
    <message>
        <source>{code} is not a command this station knows (SEAL, UNDO, CANCEL, REPRINT)</source>
        <translation>{code} to nie polecenie tego stanowiska (SEAL, UNDO, CANCEL, REPRINT)</translation>
    </message>
    <message>
        <source>serial number</source>
        <translation>numer seryjny</translation>
    </message>
    <message>
        <source>lot number</source>
        <translation>numer partii</translation>
    </message>
    <message>
        <source>expiry date</source>
        <translation>datę ważności</translation>
    </message>
    <message>
        <source>ONE UNIT AT A TIME</source>
        <translation>PO JEDNEJ SZTUCE</translation>
    </message>
    <message>
        <source>{item}: scan each unit on its own, by its serial label</source>
        <translation>{item}: skanuj każdą sztukę osobno, po etykiecie z numerem seryjnym</translation>
    </message>
    <message>
        <source>Not counted: every unit of this item needs its own serial scan.</source>
        <translation>Nie policzono: każda sztuka tego towaru wymaga własnego skanu numeru seryjnego.</translation>
    </message>
    <message>
        <source>{first} and {last}</source>
        <translation>{first} i {last}</translation>
    </message>
    <message>
        <source>SCAN THE SERIAL LABEL</source>
        <translation>SKANUJ NUMER SERYJNY</translation>
    </message>
    <message>
        <source>SCAN THE LOT LABEL</source>
        <translation>SKANUJ ETYKIETĘ PARTII</translation>
    </message>
    <message>
        <source>{item}: scan the label that shows its {what}</source>
        <translation>{item}: zeskanuj etykietę, na której jest {what}</translation>
    </message>
    <message>
        <source>Not counted. That was its plain barcode; this item is checked by its GS1 label (DataMatrix or GS1-128).</source>
        <translation>Nie policzono. To był zwykły kod kreskowy; ten towar sprawdza się po etykiecie GS1 (DataMatrix lub GS1-128).</translation>
    </message>
</context>
</TS>
