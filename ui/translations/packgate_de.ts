<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Blocked</name>
    <message>
        <source>package still blocked</source>
        <translation>Paket bleibt gesperrt</translation>
    </message>
    <message>
        <source>an empty code</source>
        <translation>ein leerer Code</translation>
    </message>
    <message>
        <source>Short at seal: {why}</source>
        <translation>Unvollständig beim Verschließen: {why}</translation>
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
            <numerusform>{sku} {item}: %n fehlt</numerusform>
            <numerusform>{sku} {item}: %n fehlen</numerusform>
        </translation>
    </message>
    <message>
        <source>{sku} {item}: {missing} missing</source>
        <translation>{sku} {item}: {missing} fehlen</translation>
    </message>
    <message>
        <source>Cannot seal order {order}: {why}</source>
        <translation>Auftrag {order} nicht verschließbar: {why}</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more open incident(s) (see the list)</source>
        <translation>
            <numerusform>… und %n weiterer offener Vorfall (siehe Liste)</numerusform>
            <numerusform>… und %n weitere offene Vorfälle (siehe Liste)</numerusform>
        </translation>
    </message>
    <message>
        <source>… and more (see the list below)</source>
        <translation>… und mehr (siehe Liste unten)</translation>
    </message>
    <message>
        <source>Also scanned: {code} – not a command this station knows, {blocked}</source>
        <translation>Auch gescannt: {code} – kein Befehl dieser Station, {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: {code} – seal refused, {blocked}</source>
        <translation>Auch gescannt: {code} – Verschließen abgelehnt, {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: {code} – not done, {blocked}</source>
        <translation>Auch gescannt: {code} – nicht ausgeführt, {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: {code} – not counted, {blocked}</source>
        <translation>Auch gescannt: {code} – nicht gezählt, {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: nothing (an empty code) – {blocked}</source>
        <translation>Auch gescannt: nichts (ein leerer Code) – {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: unreadable input from {source} ({reason}) – {blocked}</source>
        <translation>Auch gescannt: unlesbare Eingabe von {source} ({reason}) – {blocked}</translation>
    </message>
    <message>
        <source>Also scanned: {code} – NOT SAVED ({why}), {blocked}</source>
        <translation>Auch gescannt: {code} – NICHT GESPEICHERT ({why}), {blocked}</translation>
    </message>
    <message>
        <source>{name} is packing – {blocked}: a supervisor must clear it first</source>
        <translation>{name} packt – {blocked}: erst muss ein Schichtleiter freigeben</translation>
    </message>
    <message numerus="yes">
        <source>One incident cleared by a supervisor – %n more incident(s) to clear, {blocked}</source>
        <translation>
            <numerusform>Ein Vorfall freigegeben – noch %n Vorfall offen, {blocked}</numerusform>
            <numerusform>Ein Vorfall freigegeben – noch %n Vorfälle offen, {blocked}</numerusform>
        </translation>
    </message>
    <message>
        <source>Who is packing? Scan your badge – {blocked}</source>
        <translation>Wer packt? Ausweis scannen – {blocked}</translation>
    </message>
</context>
<context>
    <name>CommandSheet</name>
    <message>
        <source>Seal the package</source>
        <extracomment>(barcode payload, what it does): the payload is what the station matches and is NEVER translated; the words under it are (context &quot;CommandSheet&quot;), in the site&apos;s language when the sheet is printed.</extracomment>
        <translation>Paket verschließen</translation>
    </message>
    <message>
        <source>Undo the last scan</source>
        <translation>Letzten Scan zurücknehmen</translation>
    </message>
    <message>
        <source>Cancel the order</source>
        <translation>Auftrag abbrechen</translation>
    </message>
    <message>
        <source>Reprint the last slip and label</source>
        <translation>Letzten Lieferschein und Label neu drucken</translation>
    </message>
    <message>
        <source>PackGate command barcodes</source>
        <translation>PackGate-Befehlsbarcodes</translation>
    </message>
</context>
<context>
    <name>Incident</name>
    <message numerus="yes">
        <source>%n unit(s)</source>
        <translation>
            <numerusform>%n Stück</numerusform>
            <numerusform>%n Stück</numerusform>
        </translation>
    </message>
    <message>
        <source>more scanned than ordered ({detail})</source>
        <translation>mehr gescannt als bestellt ({detail})</translation>
    </message>
    <message>
        <source>more scanned than ordered</source>
        <translation>mehr gescannt als bestellt</translation>
    </message>
    <message>
        <source>{scanned} scanned, {ordered} ordered</source>
        <translation>{scanned} gescannt, {ordered} bestellt</translation>
    </message>
    <message>
        <source>the barcode is not valid: {detail}</source>
        <translation>der Barcode ist ungültig: {detail}</translation>
    </message>
    <message>
        <source>the barcode is not valid</source>
        <translation>der Barcode ist ungültig</translation>
    </message>
    <message>
        <source>expired on {date}</source>
        <translation>abgelaufen am {date}</translation>
    </message>
    <message>
        <source>past its expiry date</source>
        <translation>Haltbarkeit abgelaufen</translation>
    </message>
    <message>
        <source>serial {serial} was already packed in this order</source>
        <translation>Seriennummer {serial} ist schon in diesem Auftrag verpackt</translation>
    </message>
    <message>
        <source>this serial number was already packed in this order</source>
        <translation>diese Seriennummer ist schon in diesem Auftrag verpackt</translation>
    </message>
    <message>
        <source>this serial was already packed in sealed order {order}</source>
        <translation>diese Seriennummer ist schon im verschlossenen Auftrag {order} verpackt</translation>
    </message>
    <message>
        <source>this serial was already packed in a sealed order</source>
        <translation>diese Seriennummer ist schon in einem verschlossenen Auftrag verpackt</translation>
    </message>
    <message>
        <source>recalled: {reason}</source>
        <translation>zurückgerufen: {reason}</translation>
    </message>
    <message>
        <source>on the recall list</source>
        <translation>auf der Rückrufliste</translation>
    </message>
    <message>
        <source>the parcel&apos;s weight does not fit ({detail})</source>
        <translation>das Paketgewicht passt nicht ({detail})</translation>
    </message>
    <message>
        <source>the parcel&apos;s weight does not fit</source>
        <translation>das Paketgewicht passt nicht</translation>
    </message>
    <message>
        <source>products without a known weight: {skus}</source>
        <translation>Artikel ohne bekanntes Gewicht: {skus}</translation>
    </message>
    <message>
        <source>too heavy: weighed {measured} g, expected {expected} ± {tolerance} g</source>
        <translation>zu schwer: gewogen {measured} g, erwartet {expected} ± {tolerance} g</translation>
    </message>
    <message>
        <source>too light: weighed {measured} g, expected {expected} ± {tolerance} g</source>
        <translation>zu leicht: gewogen {measured} g, erwartet {expected} ± {tolerance} g</translation>
    </message>
    <message>
        <source>items missing at seal</source>
        <translation>beim Verschließen fehlen Artikel</translation>
    </message>
    <message>
        <source>not on order {order}</source>
        <translation>nicht im Auftrag {order}</translation>
    </message>
    <message>
        <source>Wrong item</source>
        <translation>Falscher Artikel</translation>
    </message>
    <message>
        <source>WRONG ITEM</source>
        <translation>FALSCHER ARTIKEL</translation>
    </message>
    <message>
        <source>another order at this station lists it</source>
        <translation>ein anderer Auftrag an dieser Station enthält ihn</translation>
    </message>
    <message>
        <source>Unknown code</source>
        <translation>Unbekannter Code</translation>
    </message>
    <message>
        <source>UNKNOWN ITEM</source>
        <translation>UNBEKANNT</translation>
    </message>
    <message>
        <source>no order at this station lists it</source>
        <translation>kein Auftrag an dieser Station enthält ihn</translation>
    </message>
    <message>
        <source>Too many</source>
        <translation>Zu viele</translation>
    </message>
    <message>
        <source>TOO MANY</source>
        <translation>ZU VIELE</translation>
    </message>
    <message>
        <source>Unreadable code</source>
        <translation>Unlesbarer Code</translation>
    </message>
    <message>
        <source>INVALID CODE</source>
        <translation>UNGÜLTIGER CODE</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>EXPIRED</source>
        <translation>ABGELAUFEN</translation>
    </message>
    <message>
        <source>Serial scanned twice</source>
        <translation>Seriennummer doppelt gescannt</translation>
    </message>
    <message>
        <source>SAME SERIAL TWICE</source>
        <translation>SERIENNR. DOPPELT</translation>
    </message>
    <message>
        <source>Serial already shipped</source>
        <translation>Seriennummer schon versandt</translation>
    </message>
    <message>
        <source>SERIAL ALREADY SHIPPED</source>
        <translation>SERIENNR. VERSANDT</translation>
    </message>
    <message>
        <source>Recalled lot</source>
        <translation>Zurückgerufene Charge</translation>
    </message>
    <message>
        <source>RECALLED</source>
        <translation>RÜCKRUF</translation>
    </message>
    <message>
        <source>Items missing</source>
        <translation>Artikel fehlen</translation>
    </message>
    <message>
        <source>SHORT</source>
        <translation>UNVOLLSTÄNDIG</translation>
    </message>
    <message>
        <source>Weight mismatch</source>
        <translation>Gewicht passt nicht</translation>
    </message>
    <message>
        <source>WEIGHT MISMATCH</source>
        <translation>GEWICHT FALSCH</translation>
    </message>
    <message>
        <source>the scale disagrees with what was scanned: open the box and count</source>
        <translation>die Waage passt nicht zu den Scans: Karton öffnen und zählen</translation>
    </message>
    <message>
        <source>{units} missing: {lines}</source>
        <translation>{units} fehlen: {lines}</translation>
    </message>
</context>
<context>
    <name>PackerWindow</name>
    <message>
        <source>Open incidents</source>
        <translation>Offene Vorfälle</translation>
    </message>
    <message>
        <source>Your name, or scan your badge:</source>
        <translation>Ihr Name, oder Ausweis scannen:</translation>
    </message>
    <message>
        <source>Start shift</source>
        <translation>Schicht beginnen</translation>
    </message>
    <message>
        <source>No names registered on this station: scan your badge or type your id below.</source>
        <translation>An dieser Station sind keine Namen eingetragen: Ausweis scannen oder Kennung unten eingeben.</translation>
    </message>
    <message>
        <source>connected</source>
        <extracomment>A scan source&apos;s state as the status bar says it (a disconnected source is being reconnected).</extracomment>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>verbindet neu</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>Packer: —</source>
        <translation>Packer: —</translation>
    </message>
    <message>
        <source>Station: {station}</source>
        <translation>Station: {station}</translation>
    </message>
    <message>
        <source>Sync: not configured</source>
        <translation>Sync: nicht eingerichtet</translation>
    </message>
    <message>
        <source>No scanner</source>
        <translation>Kein Scanner</translation>
    </message>
    <message>
        <source>Sync: {status}</source>
        <translation>Sync: {status}</translation>
    </message>
    <message numerus="yes">
        <source>Scanner flooding: %Ln line(s) dropped ({source}). Check the scanner&apos;s settings.</source>
        <translation>
            <numerusform>Scanner überflutet: %Ln Zeile verworfen ({source}). Scanner-Einstellungen prüfen.</numerusform>
            <numerusform>Scanner überflutet: %Ln Zeilen verworfen ({source}). Scanner-Einstellungen prüfen.</numerusform>
        </translation>
    </message>
    <message>
        <source>No order</source>
        <translation>Kein Auftrag</translation>
    </message>
    <message>
        <source>No order on the bench</source>
        <translation>Kein Auftrag am Packtisch</translation>
    </message>
    <message>
        <source>Scan an order barcode to start</source>
        <translation>Auftragsbarcode scannen zum Start</translation>
    </message>
    <message>
        <source>Order {order}</source>
        <translation>Auftrag {order}</translation>
    </message>
    <message>
        <source>Ship to: {address}</source>
        <translation>Empfänger: {address}</translation>
    </message>
    <message>
        <source>Carrier: {carrier}</source>
        <translation>Paketdienst: {carrier}</translation>
    </message>
    <message numerus="yes">
        <source>{scanned} / %n unit(s)</source>
        <translation>
            <numerusform>{scanned} / %n Stück</numerusform>
            <numerusform>{scanned} / %n Stück</numerusform>
        </translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Art.-Nr.</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>Gescannt</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>Bestellt</translation>
    </message>
    <message numerus="yes">
        <source>%n left</source>
        <translation>
            <numerusform>noch %n</numerusform>
            <numerusform>noch %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Supervisor: clear</source>
        <translation>Schichtleiter: freigeben</translation>
    </message>
    <message>
        <source>Type or scan a code, then Enter</source>
        <translation>Code eingeben oder scannen, dann Enter</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>Code:</translation>
    </message>
    <message>
        <source>Seal</source>
        <translation>Verschließen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Cancel order</source>
        <translation>Auftrag abbrechen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>Print command sheet…</source>
        <translation>Befehlsblatt drucken…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>&amp;Pack</source>
        <translation>&amp;Packen</translation>
    </message>
    <message>
        <source>Seal package</source>
        <translation>Paket verschließen</translation>
    </message>
    <message>
        <source>Undo last scan</source>
        <translation>Letzten Scan zurücknehmen</translation>
    </message>
    <message>
        <source>Supervisor clearance…</source>
        <translation>Freigabe durch Schichtleiter…</translation>
    </message>
    <message>
        <source>Change packer…</source>
        <translation>Packer wechseln…</translation>
    </message>
    <message>
        <source>Type a code</source>
        <translation>Code eingeben</translation>
    </message>
    <message>
        <source>Reload bench</source>
        <translation>Packtisch neu laden</translation>
    </message>
    <message>
        <source>&amp;Supervisor</source>
        <translation>&amp;Schichtleiter</translation>
    </message>
    <message>
        <source>Flagged packages…</source>
        <translation>Markierte Pakete…</translation>
    </message>
    <message>
        <source>Shift view…</source>
        <translation>Schichtübersicht…</translation>
    </message>
    <message>
        <source>Users…</source>
        <translation>Benutzer…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Vollbild</translation>
    </message>
    <message>
        <source>Mute sounds</source>
        <translation>Töne aus</translation>
    </message>
    <message>
        <source>PackGate — station {station}</source>
        <translation>PackGate — Station {station}</translation>
    </message>
    <message>
        <source>Packer: {name}</source>
        <translation>Packer: {name}</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>FEHLER</translation>
    </message>
    <message>
        <source>This scan could not be handled ({error}). Scan again; if it repeats call a supervisor.</source>
        <translation>Dieser Scan konnte nicht verarbeitet werden ({error}). Erneut scannen; passiert es wieder, Schichtleiter rufen.</translation>
    </message>
    <message>
        <source>NOTHING TO CLEAR</source>
        <translation>NICHTS FREIZUGEBEN</translation>
    </message>
    <message>
        <source>The package is not blocked.</source>
        <translation>Das Paket ist nicht gesperrt.</translation>
    </message>
    <message>
        <source>(The clearing screen is not installed on this station: clear the incident at the supervisor desk.)</source>
        <translation>(Die Freigabe ist an dieser Station nicht installiert: Vorfall am Schichtleiter-Platz freigeben.)</translation>
    </message>
    <message>
        <source>NOT CLEARED</source>
        <translation>NICHT FREIGEGEBEN</translation>
    </message>
    <message>
        <source>Not cleared: {why} – {blocked}</source>
        <translation>Nicht freigegeben: {why} – {blocked}</translation>
    </message>
    <message>
        <source>Cleared by a supervisor: continue.</source>
        <translation>Vom Schichtleiter freigegeben: weitermachen.</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>Drucken</translation>
    </message>
    <message>
        <source>Reprint last</source>
        <translation>Letzten neu drucken</translation>
    </message>
    <message>
        <source>Print the last sealed package&apos;s slip and label again (CMD:REPRINT)</source>
        <translation>Lieferschein und Label des zuletzt verschlossenen Pakets neu drucken (CMD:REPRINT)</translation>
    </message>
    <message>
        <source>No reading from the scale</source>
        <extracomment>A reading older than this is not what is on the scale now (the scale stopped talking).</extracomment>
        <translation>Kein Messwert von der Waage</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Print jobs cannot be read: {error}</source>
        <translation>Druckaufträge nicht lesbar: {error}</translation>
    </message>
    <message>
        <source>packing slip</source>
        <translation>Lieferschein</translation>
    </message>
    <message>
        <source>shipping label</source>
        <translation>Versandlabel</translation>
    </message>
    <message>
        <source>printer not reachable (off, unplugged or off the network)</source>
        <translation>Drucker nicht erreichbar (aus, ausgesteckt oder nicht im Netz)</translation>
    </message>
    <message>
        <source>the print queue is not accepting jobs</source>
        <translation>die Druckwarteschlange nimmt keine Aufträge an</translation>
    </message>
    <message>
        <source>no such print queue on the print server</source>
        <translation>diese Druckwarteschlange gibt es auf dem Druckserver nicht</translation>
    </message>
    <message>
        <source>printer out of paper</source>
        <translation>Drucker ohne Papier</translation>
    </message>
    <message>
        <source>printer head open</source>
        <translation>Druckkopf offen</translation>
    </message>
    <message>
        <source>printer paused</source>
        <translation>Drucker angehalten</translation>
    </message>
    <message>
        <source>the printer refused the job</source>
        <translation>der Drucker hat den Auftrag abgelehnt</translation>
    </message>
    <message>
        <source>no printer is set for it (Settings, Printers)</source>
        <translation>kein Drucker dafür eingestellt (Einstellungen, Drucker)</translation>
    </message>
    <message>
        <source>the printer set for it cannot print this kind of document</source>
        <translation>der eingestellte Drucker kann diese Art Dokument nicht drucken</translation>
    </message>
    <message>
        <source>the order&apos;s label is gone</source>
        <translation>das Label des Auftrags fehlt</translation>
    </message>
    <message>
        <source>the order is gone</source>
        <translation>der Auftrag ist weg</translation>
    </message>
    <message>
        <source>the document could not be made</source>
        <translation>das Dokument konnte nicht erstellt werden</translation>
    </message>
    <message>
        <source>PRINTED</source>
        <extracomment>headline word, colour and icon shape (``ui.verdict_panel.VerdictIcon``&apos;s kinds) per tone</extracomment>
        <translation>GEDRUCKT</translation>
    </message>
    <message>
        <source>WAITING</source>
        <translation>WARTET</translation>
    </message>
    <message>
        <source>NOT PRINTED</source>
        <translation>NICHT GEDRUCKT</translation>
    </message>
    <message>
        <source>NOTE</source>
        <translation>HINWEIS</translation>
    </message>
    <message>
        <source>Shipping label for order {order}</source>
        <translation>Versandlabel für Auftrag {order}</translation>
    </message>
    <message>
        <source>Packing slip for order {order}</source>
        <translation>Lieferschein für Auftrag {order}</translation>
    </message>
    <message>
        <source>{what}: printed</source>
        <translation>{what}: gedruckt</translation>
    </message>
    <message>
        <source>{what}: not printed, {why}. Scan CMD:REPRINT or press Reprint once fixed.</source>
        <translation>{what}: nicht gedruckt, {why}. Nach der Behebung CMD:REPRINT scannen oder Neu drucken drücken.</translation>
    </message>
    <message>
        <source>{what}: waiting, {why}</source>
        <translation>{what}: wartet, {why}</translation>
    </message>
    <message numerus="yes">
        <source>{what}: waiting, {why}, trying again in %n s</source>
        <translation>
            <numerusform>{what}: wartet, {why}, neuer Versuch in %n s</numerusform>
            <numerusform>{what}: wartet, {why}, neuer Versuch in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>{what}: waiting, {why}, trying again now</source>
        <translation>{what}: wartet, {why}, neuer Versuch jetzt</translation>
    </message>
    <message>
        <source>{what}: printing</source>
        <translation>{what}: wird gedruckt</translation>
    </message>
    <message>
        <source>Printing is not set up: slips and labels are not printed (Settings, Printers)</source>
        <translation>Drucken ist nicht eingerichtet: Lieferscheine und Labels werden nicht gedruckt (Einstellungen, Drucker)</translation>
    </message>
    <message>
        <source>Order {order} came without a shipping label: packing slip only</source>
        <translation>Auftrag {order} kam ohne Versandlabel: nur Lieferschein</translation>
    </message>
    <message>
        <source>NOTHING TO REPRINT</source>
        <translation>NICHTS ZU DRUCKEN</translation>
    </message>
    <message>
        <source>No package has been sealed at this bench yet</source>
        <translation>An diesem Packtisch wurde noch kein Paket verschlossen</translation>
    </message>
    <message>
        <source>Printing the packing slip and shipping label for order {order} again</source>
        <translation>Lieferschein und Versandlabel für Auftrag {order} werden neu gedruckt</translation>
    </message>
    <message>
        <source>Printing the shipping label for order {order} again</source>
        <translation>Versandlabel für Auftrag {order} wird neu gedruckt</translation>
    </message>
    <message>
        <source>Printing the packing slip for order {order} again</source>
        <translation>Lieferschein für Auftrag {order} wird neu gedruckt</translation>
    </message>
    <message>
        <source>Printing the paperwork for order {order} again</source>
        <translation>Papiere für Auftrag {order} werden neu gedruckt</translation>
    </message>
    <message>
        <source>REPRINTING</source>
        <translation>NEUDRUCK</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <source>the disk is full: nothing was saved</source>
        <translation>die Festplatte ist voll: nichts gespeichert</translation>
    </message>
    <message>
        <source>the database is busy (locked by another program): nothing was saved, scan again</source>
        <translation>die Datenbank ist belegt (von einem anderen Programm gesperrt): nichts gespeichert, erneut scannen</translation>
    </message>
    <message>
        <source>the database is read-only: nothing was saved</source>
        <translation>die Datenbank ist schreibgeschützt: nichts gespeichert</translation>
    </message>
    <message>
        <source>the order kept changing on another bench or program: nothing was saved, scan again</source>
        <translation>der Auftrag wurde an einem anderen Packtisch oder Programm ständig geändert: nichts gespeichert, erneut scannen</translation>
    </message>
    <message>
        <source>the database refused the write ({detail}): nothing was saved</source>
        <translation>die Datenbank hat das Schreiben abgelehnt ({detail}): nichts gespeichert</translation>
    </message>
    <message>
        <source>unknown resolution {resolution}; choose one of {choices}</source>
        <translation>unbekannte Lösung {resolution}; eine davon wählen: {choices}</translation>
    </message>
    <message>
        <source>a reason is required</source>
        <translation>ein Grund ist nötig</translation>
    </message>
    <message>
        <source>no incident {incident}</source>
        <translation>kein Vorfall {incident}</translation>
    </message>
    <message>
        <source>incident {incident} is already {status}</source>
        <translation>Vorfall {incident} ist schon {status}</translation>
    </message>
    <message>
        <source>four eyes: the packer who caused an incident cannot clear it</source>
        <translation>Vier-Augen-Prinzip: wer den Vorfall verursacht hat, kann ihn nicht freigeben</translation>
    </message>
    <message>
        <source>order {order} is not on this bench: ship it short, pull it or escalate it at the bench where it is</source>
        <translation>Auftrag {order} ist nicht an diesem Packtisch: am Packtisch, wo er liegt, unvollständig versenden, zurückziehen oder eskalieren</translation>
    </message>
</context>
<context>
    <name>Scale</name>
    <message>
        <source>Overload: the parcel is too heavy for this scale</source>
        <translation>Überlast: das Paket ist zu schwer für diese Waage</translation>
    </message>
    <message>
        <source>Below zero: empty the scale and zero it</source>
        <translation>Unter null: Waage leeren und nullen</translation>
    </message>
    <message>
        <source>The scale is busy (taring or zeroing): wait a moment</source>
        <translation>Die Waage ist beschäftigt (Tara oder Nullen): kurz warten</translation>
    </message>
    <message>
        <source>The scale does not understand PackGate&apos;s request: check the protocol in Settings</source>
        <translation>Die Waage versteht die Anfrage von PackGate nicht: Protokoll in den Einstellungen prüfen</translation>
    </message>
    <message>
        <source>The scale heard garbled bytes: check the baud rate and the cable</source>
        <translation>Die Waage hat verstümmelte Bytes empfangen: Baudrate und Kabel prüfen</translation>
    </message>
    <message>
        <source>The scale refused the request (logical error)</source>
        <translation>Die Waage hat die Anfrage abgelehnt (logischer Fehler)</translation>
    </message>
    <message>
        <source>The scale cannot find zero: empty it and zero it</source>
        <translation>Die Waage findet keinen Nullpunkt: leeren und nullen</translation>
    </message>
    <message>
        <source>The scale&apos;s tare failed: clear the tare</source>
        <translation>Tara der Waage fehlgeschlagen: Tara löschen</translation>
    </message>
    <message>
        <source>Unreadable bytes from the scale: check the baud rate</source>
        <translation>Unlesbare Bytes von der Waage: Baudrate prüfen</translation>
    </message>
    <message>
        <source>An overlong line from the scale: check the protocol in Settings</source>
        <translation>Zu lange Zeile von der Waage: Protokoll in den Einstellungen prüfen</translation>
    </message>
    <message>
        <source>A line the scale&apos;s protocol does not have: check the protocol in Settings</source>
        <translation>Eine Zeile, die das Protokoll der Waage nicht kennt: Protokoll in den Einstellungen prüfen</translation>
    </message>
    <message>
        <source>The scale shows a unit PackGate does not know: set it to g, kg, lb or oz</source>
        <translation>Die Waage zeigt eine Einheit, die PackGate nicht kennt: auf g, kg, lb oder oz stellen</translation>
    </message>
    <message>
        <source>The scale sent a weight that is not a number</source>
        <translation>Die Waage hat ein Gewicht gesendet, das keine Zahl ist</translation>
    </message>
    <message>
        <source>The scale is not answering: check its cable, protocol and baud rate</source>
        <translation>Die Waage antwortet nicht: Kabel, Protokoll und Baudrate prüfen</translation>
    </message>
    <message>
        <source>{value} g</source>
        <translation>{value} g</translation>
    </message>
    <message>
        <source>No weight from the scale</source>
        <translation>Kein Gewicht von der Waage</translation>
    </message>
    <message>
        <source>No reading from the scale</source>
        <translation>Kein Messwert von der Waage</translation>
    </message>
    <message>
        <source>On the scale</source>
        <translation>Auf der Waage</translation>
    </message>
    <message>
        <source>Settling…</source>
        <translation>Pendelt sich ein…</translation>
    </message>
    <message>
        <source>expected {expected} ± {tolerance}</source>
        <translation>erwartet {expected} ± {tolerance}</translation>
    </message>
    <message>
        <source>Settling… {target}</source>
        <translation>Pendelt sich ein… {target}</translation>
    </message>
    <message numerus="yes">
        <source>; %n product(s) without a known weight</source>
        <translation>
            <numerusform>; %n Artikel ohne bekanntes Gewicht</numerusform>
            <numerusform>; %n Artikel ohne bekanntes Gewicht</numerusform>
        </translation>
    </message>
    <message>
        <source>At least {expected} expected{note}</source>
        <translation>Mindestens {expected} erwartet{note}</translation>
    </message>
    <message>
        <source>Matches: {target}{note}</source>
        <translation>Passt: {target}{note}</translation>
    </message>
    <message>
        <source>{difference} over: {target}{note}</source>
        <translation>{difference} zu viel: {target}{note}</translation>
    </message>
    <message>
        <source>{difference} under: {target}{note}</source>
        <translation>{difference} zu wenig: {target}{note}</translation>
    </message>
    <message>
        <source>Expected {expected} ± {tolerance} (carton {tare}), the scale says {measured}</source>
        <translation>Erwartet {expected} ± {tolerance} (Karton {tare}), die Waage zeigt {measured}</translation>
    </message>
    <message>
        <source>CARTON</source>
        <translation>KARTON</translation>
    </message>
    <message>
        <source>Carton {code}: {tare} tare</source>
        <translation>Karton {code}: {tare} Tara</translation>
    </message>
    <message>
        <source>Order {order}: the parcel&apos;s weight does not fit what was scanned</source>
        <translation>Auftrag {order}: das Paketgewicht passt nicht zu den Scans</translation>
    </message>
    <message>
        <source>Open the box and count the items against the order.</source>
        <translation>Karton öffnen und die Artikel mit dem Auftrag abzählen.</translation>
    </message>
    <message>
        <source>WEIGHT UNKNOWN</source>
        <translation>GEWICHT UNBEKANNT</translation>
    </message>
    <message>
        <source>Order {order} holds products without a known weight: {skus}</source>
        <translation>Auftrag {order} enthält Artikel ohne bekanntes Gewicht: {skus}</translation>
    </message>
    <message>
        <source>This site checks every parcel&apos;s weight.</source>
        <translation>Dieser Standort prüft das Gewicht jedes Pakets.</translation>
    </message>
    <message>
        <source>Order {order} is {difference} too heavy</source>
        <translation>Auftrag {order} ist {difference} zu schwer</translation>
    </message>
    <message>
        <source>Do not seal it: something in the box was not scanned, or two items were scanned as one.</source>
        <translation>Nicht verschließen: etwas im Karton wurde nicht gescannt, oder zwei Artikel wurden als einer gescannt.</translation>
    </message>
    <message>
        <source>Order {order} is {difference} too light</source>
        <translation>Auftrag {order} ist {difference} zu leicht</translation>
    </message>
    <message>
        <source>Do not seal it: something scanned is not in the box, or a case pack holds fewer items.</source>
        <translation>Nicht verschließen: etwas Gescanntes ist nicht im Karton, oder ein Gebinde enthält weniger Artikel.</translation>
    </message>
    <message>
        <source>Note: {skus} without a known weight; only checked that the parcel is not lighter than {expected} (it weighed {measured}).</source>
        <translation>Hinweis: {skus} ohne bekanntes Gewicht; nur geprüft, dass das Paket nicht leichter als {expected} ist (es wog {measured}).</translation>
    </message>
    <message>
        <source>Weighed {measured} (expected {expected} ± {tolerance}).</source>
        <translation>Gewogen {measured} (erwartet {expected} ± {tolerance}).</translation>
    </message>
    <message>
        <source>WEIGHING</source>
        <translation>WIEGEN</translation>
    </message>
    <message>
        <source>Keep your hands off the scale: sealing on a stable weight</source>
        <translation>Hände weg von der Waage: verschlossen wird bei stabilem Gewicht</translation>
    </message>
    <message>
        <source>SCALE NOT STEADY</source>
        <translation>WAAGE UNRUHIG</translation>
    </message>
    <message>
        <source>The weight did not settle within {seconds} s: nothing was sealed</source>
        <translation>Das Gewicht war nach {seconds} s nicht stabil: nichts verschlossen</translation>
    </message>
    <message>
        <source>Make sure nothing touches the scale or the parcel (a hand, a cable, a draught), then seal again.</source>
        <translation>Nichts darf Waage oder Paket berühren (Hand, Kabel, Luftzug), dann erneut verschließen.</translation>
    </message>
    <message>
        <source>NO WEIGHT</source>
        <translation>KEIN GEWICHT</translation>
    </message>
    <message>
        <source>Nothing was sealed: {why}</source>
        <translation>Nichts verschlossen: {why}</translation>
    </message>
    <message>
        <source>This bench seals only on a weight. Fix the scale (see the status bar), then seal again.</source>
        <translation>Dieser Packtisch verschließt nur mit Gewicht. Waage reparieren (siehe Statusleiste), dann erneut verschließen.</translation>
    </message>
    <message>
        <source>the scale is {state} ({detail})</source>
        <translation>die Waage ist {state} ({detail})</translation>
    </message>
    <message>
        <source>no weight came from the scale</source>
        <translation>von der Waage kam kein Gewicht</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Language (from the next start)</source>
        <translation>Sprache (ab dem nächsten Start)</translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message>
        <source>Scanned</source>
        <extracomment>The facts&apos; names (keys of `ClearingDialog.facts`), as shown.</extracomment>
        <translation>Gescannt</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>Packer</source>
        <extracomment>The same columns, short enough for a table on screen or an A4 page.</extracomment>
        <translation>Packer</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Clear order {order}</source>
        <translation>Auftrag {order} freigeben</translation>
    </message>
    <message>
        <source>Order {order} blocked: {kind}</source>
        <translation>Auftrag {order} gesperrt: {kind}</translation>
    </message>
    <message>
        <source>Signed in: &lt;b&gt;{name}&lt;/b&gt; ({role})</source>
        <translation>Angemeldet: &lt;b&gt;{name}&lt;/b&gt; ({role})</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>{time} ({age} ago)</source>
        <translation>{time} (vor {age})</translation>
    </message>
    <message>
        <source>Expected item</source>
        <translation>Erwarteter Artikel</translation>
    </message>
    <message>
        <source>No camera frame</source>
        <translation>Kein Kamerabild</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Lösung</translation>
    </message>
    <message>
        <source>Note (what you found, what you did)</source>
        <translation>Notiz (was gefunden, was getan)</translation>
    </message>
    <message>
        <source>Clear package</source>
        <translation>Paket freigeben</translation>
    </message>
    <message>
        <source>Escalate to central</source>
        <translation>An die Zentrale eskalieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Missing, for credit / backorder: {missing}</source>
        <translation>Fehlt, für Gutschrift / Nachlieferung: {missing}</translation>
    </message>
    <message>
        <source>Nothing is missing: the package is complete.</source>
        <translation>Nichts fehlt: das Paket ist vollständig.</translation>
    </message>
    <message>
        <source>Write a note saying what you found.</source>
        <translation>Notiz schreiben: was gefunden wurde.</translation>
    </message>
    <message>
        <source>Not done: {why}</source>
        <translation>Nicht ausgeführt: {why}</translation>
    </message>
    <message>
        <source>Sign in to clear order {order}</source>
        <translation>Anmelden, um Auftrag {order} freizugeben</translation>
    </message>
    <message>
        <source>Sign in to decide order {order}</source>
        <translation>Anmelden, um über Auftrag {order} zu entscheiden</translation>
    </message>
    <message>
        <source>Supervisor sign-in</source>
        <translation>Schichtleiter-Anmeldung</translation>
    </message>
    <message>
        <source>scan your badge</source>
        <translation>Ausweis scannen</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Ausweis</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Badge + PIN</source>
        <translation>Ausweis + PIN</translation>
    </message>
    <message>
        <source>Name + password</source>
        <translation>Name + Passwort</translation>
    </message>
    <message>
        <source>new PIN</source>
        <translation>neue PIN</translation>
    </message>
    <message>
        <source>new PIN again</source>
        <translation>neue PIN wiederholen</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>Neue PIN</translation>
    </message>
    <message>
        <source>New PIN again</source>
        <translation>Neue PIN wiederholen</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>The two new PINs differ. Type the new PIN twice.</source>
        <translation>Die zwei neuen PINs sind verschieden. Neue PIN zweimal eingeben.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Prüfe…</translation>
    </message>
    <message>
        <source>Locked after too many wrong attempts. Try again after {time}, or ask an admin to lift the lockout or reset the PIN.</source>
        <translation>Nach zu vielen Fehlversuchen gesperrt. Nach {time} erneut versuchen, oder einen Admin bitten, die Sperre aufzuheben oder die PIN zurückzusetzen.</translation>
    </message>
    <message>
        <source>PINs cannot be checked on this station: {why}. Call an admin.</source>
        <translation>PINs können an dieser Station nicht geprüft werden: {why}. Admin rufen.</translation>
    </message>
    <message>
        <source>Not accepted: {why}.</source>
        <translation>Nicht akzeptiert: {why}.</translation>
    </message>
    <message>
        <source>Not signed in: {why}.</source>
        <translation>Nicht angemeldet: {why}.</translation>
    </message>
    <message>
        <source>Your PIN must be changed before you sign in. Choose a new PIN of at least {digits} digits, and type it twice.</source>
        <translation>Ihre PIN muss vor der Anmeldung geändert werden. Neue PIN mit mindestens {digits} Ziffern wählen und zweimal eingeben.</translation>
    </message>
    <message>
        <source>Any age</source>
        <translation>Jedes Alter</translation>
    </message>
    <message>
        <source>Older than 30 min</source>
        <translation>Älter als 30 min</translation>
    </message>
    <message>
        <source>Older than 1 hour</source>
        <translation>Älter als 1 Stunde</translation>
    </message>
    <message>
        <source>Past the 2-hour target</source>
        <translation>Über dem 2-Stunden-Ziel</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Detected</source>
        <translation>Erkannt</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>{station}&apos;s incidents are read-only here: clear them at {station}&apos;s bench.</source>
        <translation>Die Vorfälle von {station} sind hier nur lesbar: am Packtisch von {station} freigeben.</translation>
    </message>
    <message>
        <source>Flagged packages — {station}</source>
        <translation>Markierte Pakete — {station}</translation>
    </message>
    <message>
        <source>Flagged packages</source>
        <translation>Markierte Pakete</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>This station</source>
        <translation>Diese Station</translation>
    </message>
    <message>
        <source>Whole site</source>
        <translation>Ganzer Standort</translation>
    </message>
    <message>
        <source>All problems</source>
        <translation>Alle Probleme</translation>
    </message>
    <message>
        <source>All packers</source>
        <translation>Alle Packer</translation>
    </message>
    <message>
        <source>Open incident…</source>
        <translation>Vorfall öffnen…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <source>{station} (this)</source>
        <translation>{station} (diese)</translation>
    </message>
    <message numerus="yes">
        <source> at %n station(s)</source>
        <translation>
            <numerusform> an %n Station</numerusform>
            <numerusform> an %n Stationen</numerusform>
        </translation>
    </message>
    <message>
        <source>{open} open{where} · {overdue} past the 2-hour target</source>
        <translation>{open} offen{where} · {overdue} über dem 2-Stunden-Ziel</translation>
    </message>
    <message>
        <source> · showing {shown}</source>
        <translation> · {shown} angezeigt</translation>
    </message>
    <message>
        <source>Signed in: {name}</source>
        <translation>Angemeldet: {name}</translation>
    </message>
    <message>
        <source>Shift — {station}</source>
        <translation>Schicht — {station}</translation>
    </message>
    <message>
        <source>Shift —</source>
        <translation>Schicht —</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Vorherige</translation>
    </message>
    <message>
        <source>This shift</source>
        <translation>Diese Schicht</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Nächste ▶</translation>
    </message>
    <message>
        <source>orders packed</source>
        <translation>Aufträge gepackt</translation>
    </message>
    <message>
        <source>lines scanned</source>
        <translation>Zeilen gescannt</translation>
    </message>
    <message>
        <source>incidents</source>
        <translation>Vorfälle</translation>
    </message>
    <message>
        <source>errors per order line</source>
        <translation>Fehler pro Auftragszeile</translation>
    </message>
    <message>
        <source>mean time to clearance</source>
        <translation>mittlere Zeit bis zur Freigabe</translation>
    </message>
    <message>
        <source>open flags now</source>
        <translation>jetzt offen markiert</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>PDF exportieren…</translation>
    </message>
    <message>
        <source>Hand over shift…</source>
        <translation>Schicht übergeben…</translation>
    </message>
    <message>
        <source>Acknowledge hand-over…</source>
        <translation>Übergabe bestätigen…</translation>
    </message>
    <message numerus="yes">
        <source>Hand-over from {who} at {time}: %n open incident(s) — waiting for the next supervisor to acknowledge.</source>
        <translation>
            <numerusform>Übergabe von {who} um {time}: %n offener Vorfall — wartet auf Bestätigung durch den nächsten Schichtleiter.</numerusform>
            <numerusform>Übergabe von {who} um {time}: %n offene Vorfälle — wartet auf Bestätigung durch den nächsten Schichtleiter.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Last hand-over from {who} acknowledged by {by} at {time} (%n open incident(s) taken over).</source>
        <translation>
            <numerusform>Letzte Übergabe von {who} bestätigt von {by} um {time} (%n offener Vorfall übernommen).</numerusform>
            <numerusform>Letzte Übergabe von {who} bestätigt von {by} um {time} (%n offene Vorfälle übernommen).</numerusform>
        </translation>
    </message>
    <message>
        <source>No hand-over yet.</source>
        <translation>Noch keine Übergabe.</translation>
    </message>
    <message>
        <source>Export shift report ({format})</source>
        <translation>Schichtbericht exportieren ({format})</translation>
    </message>
    <message>
        <source>{format} files</source>
        <translation>{format}-Dateien</translation>
    </message>
    <message>
        <source>Report not saved: {why}</source>
        <translation>Bericht nicht gespeichert: {why}</translation>
    </message>
    <message>
        <source>Report saved to {path}</source>
        <translation>Bericht gespeichert unter {path}</translation>
    </message>
    <message>
        <source>Sign in to hand over the shift</source>
        <translation>Anmelden, um die Schicht zu übergeben</translation>
    </message>
    <message>
        <source>Sign in to take over the shift</source>
        <translation>Anmelden, um die Schicht zu übernehmen</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Sign in as an admin to make changes</source>
        <translation>Für Änderungen als Admin anmelden</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Anmelden…</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>Anzeigename</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Anmeldung</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Users — {station}</source>
        <translation>Benutzer — {station}</translation>
    </message>
    <message>
        <source>PIN (new or reset)</source>
        <translation>PIN (neu oder zurückgesetzt)</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>Benutzer hinzufügen</translation>
    </message>
    <message>
        <source>Disable selected</source>
        <translation>Ausgewählte sperren</translation>
    </message>
    <message>
        <source>Reset PIN of selected</source>
        <translation>PIN der Ausgewählten zurücksetzen</translation>
    </message>
    <message>
        <source>Unlock selected</source>
        <translation>Ausgewählte entsperren</translation>
    </message>
    <message>
        <source>Lift a lockout after wrong PINs; the PIN stays as it is</source>
        <translation>Sperre nach falschen PINs aufheben; die PIN bleibt</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <source>locked until {time}</source>
        <translation>gesperrt bis {time}</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>Admin sign-in</source>
        <translation>Admin-Anmeldung</translation>
    </message>
    <message>
        <source>Signed in: {name} (admin)</source>
        <translation>Angemeldet: {name} (Admin)</translation>
    </message>
    <message>
        <source>Sign in as an admin first.</source>
        <translation>Erst als Admin anmelden.</translation>
    </message>
    <message>
        <source>Signed in: {name} (admin) — {done}</source>
        <translation>Angemeldet: {name} (Admin) — {done}</translation>
    </message>
    <message>
        <source>added {name}</source>
        <translation>{name} hinzugefügt</translation>
    </message>
    <message>
        <source>disabled {name}</source>
        <translation>{name} gesperrt</translation>
    </message>
    <message>
        <source>new PIN for {name}</source>
        <translation>neue PIN für {name}</translation>
    </message>
    <message>
        <source>unlocked {name}</source>
        <translation>{name} entsperrt</translation>
    </message>
    <message>
        <source>Shift view: supervisor sign-in</source>
        <translation>Schichtübersicht: Schichtleiter-Anmeldung</translation>
    </message>
    <message>
        <source>Incidents per hour</source>
        <translation>Vorfälle pro Stunde</translation>
    </message>
    <message>
        <source>Hour (local time)</source>
        <translation>Stunde (Ortszeit)</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Vorfälle</translation>
    </message>
    <message>
        <source>Item swapped and rescanned</source>
        <translation>Artikel getauscht und neu gescannt</translation>
    </message>
    <message>
        <source>Quantity corrected</source>
        <translation>Menge korrigiert</translation>
    </message>
    <message>
        <source>Ship short: missing lines go to credit / backorder</source>
        <translation>Unvollständig versenden: fehlende Zeilen in Gutschrift / Nachlieferung</translation>
    </message>
    <message>
        <source>Pull the package for a full re-pick</source>
        <translation>Paket zurückziehen, komplett neu kommissionieren</translation>
    </message>
    <message>
        <source>False alarm (e.g. damaged label): note required</source>
        <translation>Fehlalarm (z. B. beschädigtes Etikett): Notiz nötig</translation>
    </message>
    <message>
        <source>Other: note required</source>
        <translation>Anderes: Notiz nötig</translation>
    </message>
    <message>
        <source>The note is {length} characters long; at most {limit} are kept. Shorten it.</source>
        <translation>Die Notiz hat {length} Zeichen; höchstens {limit} werden gespeichert. Bitte kürzen.</translation>
    </message>
    <message>
        <source>{item}, SKU {sku} of order {order}</source>
        <translation>{item}, Art.-Nr. {sku} aus Auftrag {order}</translation>
    </message>
    <message>
        <source>belongs to no line of order {order}</source>
        <translation>gehört zu keiner Zeile von Auftrag {order}</translation>
    </message>
    <message>
        <source>site view unavailable: {error}</source>
        <translation>Standortansicht nicht verfügbar: {error}</translation>
    </message>
    <message>
        <source>Loading the site view…</source>
        <translation>Standortansicht wird geladen…</translation>
    </message>
    <message>
        <source>This station belongs to no site at the central service: only its own incidents are listed.</source>
        <translation>Diese Station gehört in der Zentrale zu keinem Standort: nur ihre eigenen Vorfälle werden gezeigt.</translation>
    </message>
    <message>
        <source>Site {site}: other benches&apos; incidents are read-only here.</source>
        <translation>Standort {site}: Vorfälle anderer Packtische sind hier nur lesbar.</translation>
    </message>
    <message>
        <source> Only the oldest {count} are listed.</source>
        <translation> Nur die ältesten {count} werden gezeigt.</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>Unvollst.</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Stück</translation>
    </message>
    <message>
        <source>Errors/line</source>
        <translation>Fehler/Zeile</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <source>Mean to clear</source>
        <translation>Ø bis Freigabe</translation>
    </message>
    <message>
        <source>{who} is a {role}: a supervisor signs the hand-over</source>
        <translation>{who} ist {role}: die Übergabe unterschreibt ein Schichtleiter</translation>
    </message>
    <message>
        <source>no such hand-over</source>
        <translation>diese Übergabe gibt es nicht</translation>
    </message>
    <message>
        <source>already acknowledged by {who}</source>
        <translation>schon bestätigt von {who}</translation>
    </message>
    <message>
        <source>the next supervisor acknowledges a hand-over, not the one who made it</source>
        <translation>eine Übergabe bestätigt der nächste Schichtleiter, nicht wer sie gemacht hat</translation>
    </message>
</context>
<context>
    <name>Users</name>
    <message>
        <source>badge, name, PIN or password not accepted</source>
        <translation>Ausweis, Name, PIN oder Passwort nicht akzeptiert</translation>
    </message>
    <message>
        <source>a user name is 1-64 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit</source>
        <translation>ein Benutzername hat 1-64 Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos; und beginnt mit Buchstabe oder Ziffer</translation>
    </message>
    <message>
        <source>unknown role {role}; choose one of {roles}</source>
        <translation>unbekannte Rolle {role}; eine davon wählen: {roles}</translation>
    </message>
    <message>
        <source>a PIN goes with a badge: give --badge too</source>
        <translation>eine PIN gehört zu einem Ausweis: auch --badge angeben</translation>
    </message>
    <message>
        <source>a {role} needs a PIN or a password to log in</source>
        <translation>ein {role} braucht zum Anmelden eine PIN oder ein Passwort</translation>
    </message>
    <message>
        <source>a {role} needs a PIN or a password to log in: set one first</source>
        <translation>ein {role} braucht zum Anmelden eine PIN oder ein Passwort: erst eins setzen</translation>
    </message>
    <message>
        <source>user {name} already exists</source>
        <translation>Benutzer {name} gibt es schon</translation>
    </message>
    <message>
        <source>that badge is already assigned to another user</source>
        <translation>dieser Ausweis gehört schon einem anderen Benutzer</translation>
    </message>
    <message>
        <source>that badge is the {field} of order {order}: scanned at the bench it would open that order, not sign anyone in; choose another badge</source>
        <translation>dieser Ausweis ist {field} von Auftrag {order}: am Packtisch gescannt würde er den Auftrag öffnen, niemanden anmelden; anderen Ausweis wählen</translation>
    </message>
    <message>
        <source>user {name} or that badge already exists</source>
        <translation>Benutzer {name} oder dieser Ausweis existiert schon</translation>
    </message>
    <message>
        <source>{name} has no badge: a PIN is used with a badge scan</source>
        <translation>{name} hat keinen Ausweis: eine PIN gilt nur mit Ausweis-Scan</translation>
    </message>
    <message>
        <source>the new PIN must differ from the old one</source>
        <translation>die neue PIN muss sich von der alten unterscheiden</translation>
    </message>
    <message>
        <source>no user {name}</source>
        <translation>kein Benutzer {name}</translation>
    </message>
    <message>
        <source>a PIN is digits only</source>
        <translation>eine PIN hat nur Ziffern</translation>
    </message>
    <message>
        <source>a PIN has {low} to {high} digits</source>
        <translation>eine PIN hat {low} bis {high} Ziffern</translation>
    </message>
    <message>
        <source>a password has at least {low} characters</source>
        <translation>ein Passwort hat mindestens {low} Zeichen</translation>
    </message>
    <message>
        <source>packer</source>
        <extracomment>A role as the screens name it (the stored value is the English word).</extracomment>
        <translation>Packer</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>Schichtleiter</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>only a supervisor can clear a package</source>
        <extracomment>After &quot;NAME is a ROLE: &quot;, what the task needs.</extracomment>
        <translation>nur ein Schichtleiter kann ein Paket freigeben</translation>
    </message>
    <message>
        <source>only an admin changes users</source>
        <translation>nur ein Admin ändert Benutzer</translation>
    </message>
    <message>
        <source>only an admin manages users</source>
        <translation>nur ein Admin verwaltet Benutzer</translation>
    </message>
    <message>
        <source>a supervisor signs the hand-over</source>
        <translation>ein Schichtleiter unterschreibt die Übergabe</translation>
    </message>
    <message>
        <source>only a supervisor or admin changes the settings</source>
        <translation>nur ein Schichtleiter oder Admin ändert die Einstellungen</translation>
    </message>
    <message>
        <source>{name}&apos;s account is disabled</source>
        <translation>das Konto von {name} ist gesperrt</translation>
    </message>
    <message>
        <source>{name} packed this order: another supervisor must clear it</source>
        <translation>{name} hat diesen Auftrag gepackt: ein anderer Schichtleiter muss freigeben</translation>
    </message>
    <message>
        <source>the shift view is for supervisors</source>
        <translation>die Schichtübersicht ist für Schichtleiter</translation>
    </message>
    <message>
        <source>{name} is a {role}: {needs}</source>
        <translation>{name} ist {role}: {needs}</translation>
    </message>
    <message>
        <source>account locked until {time} UTC after {attempts} wrong attempts</source>
        <translation>Konto nach {attempts} Fehlversuchen gesperrt bis {time} UTC</translation>
    </message>
    <message>
        <source>choose a new PIN of at least {digits} digits to sign in</source>
        <translation>zum Anmelden eine neue PIN mit mindestens {digits} Ziffern wählen</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>BLOCKED</source>
        <translation>GESPERRT</translation>
    </message>
    <message>
        <source>Order {order} is blocked by an open incident</source>
        <translation>Auftrag {order} ist durch einen offenen Vorfall gesperrt</translation>
    </message>
    <message numerus="yes">
        <source>Cannot seal order {order}: %n unit(s) still missing</source>
        <translation>
            <numerusform>Auftrag {order} nicht verschließbar: %n Stück fehlt noch</numerusform>
            <numerusform>Auftrag {order} nicht verschließbar: %n Stück fehlen noch</numerusform>
        </translation>
    </message>
    <message>
        <source>Supervisor: scan your badge to clear</source>
        <translation>Schichtleiter: Ausweis scannen zum Freigeben</translation>
    </message>
    <message>
        <source>the database file was deleted while PackGate was running</source>
        <extracomment>Why the station stopped (station.file_guard.FileProblem value -&gt; what happened, in words).</extracomment>
        <translation>die Datenbankdatei wurde gelöscht, während PackGate lief</translation>
    </message>
    <message>
        <source>the database file was replaced while PackGate was running</source>
        <translation>die Datenbankdatei wurde ersetzt, während PackGate lief</translation>
    </message>
    <message>
        <source>the database&apos;s journal (-wal) file was deleted while PackGate was running</source>
        <translation>die Journaldatei (-wal) der Datenbank wurde gelöscht, während PackGate lief</translation>
    </message>
    <message>
        <source>the database&apos;s journal (-wal) file was replaced while PackGate was running</source>
        <translation>die Journaldatei (-wal) der Datenbank wurde ersetzt, während PackGate lief</translation>
    </message>
    <message>
        <source>the database file was deleted or replaced while PackGate was running</source>
        <translation>die Datenbankdatei wurde gelöscht oder ersetzt, während PackGate lief</translation>
    </message>
    <message>
        <source>The bench has stopped: nothing is saved until PackGate is restarted. Call a supervisor.</source>
        <translation>Der Packtisch ist gestoppt: nichts wird gespeichert, bis PackGate neu startet. Schichtleiter rufen.</translation>
    </message>
    <message>
        <source>What was saved before is kept in {path}.</source>
        <translation>Was vorher gespeichert war, liegt in {path}.</translation>
    </message>
    <message>
        <source>NOT SAVED</source>
        <translation>NICHT GESPEICHERT</translation>
    </message>
    <message>
        <source>Not saved: {what}. This scan and any further scan are not kept.</source>
        <translation>Nicht gespeichert: {what}. Dieser und jeder weitere Scan gehen verloren.</translation>
    </message>
    <message>
        <source>Not saved: {why}</source>
        <translation>Nicht gespeichert: {why}</translation>
    </message>
    <message>
        <source>Scan the item again. If this repeats, call a supervisor.</source>
        <translation>Artikel erneut scannen. Passiert es wieder, Schichtleiter rufen.</translation>
    </message>
    <message>
        <source>SCAN AGAIN</source>
        <translation>NEU SCANNEN</translation>
    </message>
    <message>
        <source>Unreadable scan from {source}: {reason}</source>
        <translation>Unlesbarer Scan von {source}: {reason}</translation>
    </message>
    <message>
        <source>WHO IS PACKING?</source>
        <translation>WER PACKT?</translation>
    </message>
    <message>
        <source>Scan your badge or pick your name to start the shift</source>
        <translation>Ausweis scannen oder Namen wählen, um die Schicht zu beginnen</translation>
    </message>
    <message>
        <source>HELLO</source>
        <translation>HALLO</translation>
    </message>
    <message>
        <source>{name} is packing. Scan the order barcode to start.</source>
        <translation>{name} packt. Auftragsbarcode scannen zum Start.</translation>
    </message>
    <message>
        <source>UNKNOWN BADGE</source>
        <translation>AUSWEIS UNBEKANNT</translation>
    </message>
    <message>
        <source>Badge {code} is not registered on this station</source>
        <translation>Ausweis {code} ist an dieser Station nicht eingetragen</translation>
    </message>
    <message>
        <source>Scan your own badge or pick your name.</source>
        <translation>Eigenen Ausweis scannen oder Namen wählen.</translation>
    </message>
    <message>
        <source>this item</source>
        <translation>dieser Artikel</translation>
    </message>
    <message>
        <source>{scanned} of {ordered}</source>
        <translation>{scanned} von {ordered}</translation>
    </message>
    <message numerus="yes">
        <source>{sku} {item}: %n missing ({scanned} of {ordered})</source>
        <translation>
            <numerusform>{sku} {item}: %n fehlt ({scanned} von {ordered})</numerusform>
            <numerusform>{sku} {item}: %n fehlen ({scanned} von {ordered})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more line(s) (see the list below)</source>
        <translation>
            <numerusform>… und %n weitere Zeile (siehe Liste unten)</numerusform>
            <numerusform>… und %n weitere Zeilen (siehe Liste unten)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{scanned} of %n unit(s)</source>
        <translation>
            <numerusform>{scanned} von %n Stück</numerusform>
            <numerusform>{scanned} von %n Stück</numerusform>
        </translation>
    </message>
    <message>
        <source>COMPLETE</source>
        <translation>KOMPLETT</translation>
    </message>
    <message>
        <source>All {progress} scanned. Scan SEAL to close the package.</source>
        <translation>Alle {progress} gescannt. SEAL scannen, um das Paket zu verschließen.</translation>
    </message>
    <message>
        <source>{item}: {count} — case pack, +{units}</source>
        <translation>{item}: {count} — Gebinde, +{units}</translation>
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
        <translation>Falscher Artikel: {code} ist nicht im Auftrag {order}</translation>
    </message>
    <message>
        <source>Take it out of the package.</source>
        <translation>Aus dem Paket nehmen.</translation>
    </message>
    <message>
        <source>Unknown barcode: {code} is not on order {order} or any known order</source>
        <translation>Unbekannter Barcode: {code} ist weder im Auftrag {order} noch in einem anderen bekannten Auftrag</translation>
    </message>
    <message>
        <source>Too many: order {order} wants {ordered} of {item}; this scan would make {made}</source>
        <translation>Zu viele: Auftrag {order} will {ordered} von {item}; mit diesem Scan wären es {made}</translation>
    </message>
    <message>
        <source>Take the extra item out.</source>
        <translation>Den zusätzlichen Artikel herausnehmen.</translation>
    </message>
    <message>
        <source>Invalid barcode {code}: {reason}</source>
        <translation>Ungültiger Barcode {code}: {reason}</translation>
    </message>
    <message>
        <source>Invalid barcode {code}</source>
        <translation>Ungültiger Barcode {code}</translation>
    </message>
    <message>
        <source>Nothing was counted. Scan the order barcode first.</source>
        <translation>Nichts gezählt. Erst den Auftragsbarcode scannen.</translation>
    </message>
    <message>
        <source>The label may be damaged or misprinted.</source>
        <translation>Das Etikett ist vielleicht beschädigt oder falsch gedruckt.</translation>
    </message>
    <message>
        <source>Expired: {item}{lot} expired on {date}</source>
        <translation>Abgelaufen: {item}{lot} abgelaufen am {date}</translation>
    </message>
    <message>
        <source>Do not ship it.</source>
        <translation>Nicht versenden.</translation>
    </message>
    <message>
        <source> serial {serial}</source>
        <translation> Seriennr. {serial}</translation>
    </message>
    <message>
        <source>Recalled: {item}{lot}{serial} — {reason}</source>
        <translation>Rückruf: {item}{lot}{serial} — {reason}</translation>
    </message>
    <message>
        <source>Do not ship it: put it in quarantine.</source>
        <translation>Nicht versenden: in Quarantäne legen.</translation>
    </message>
    <message>
        <source>Serial {serial} of {item} was already scanned on order {order}</source>
        <translation>Seriennr. {serial} von {item} wurde im Auftrag {order} schon gescannt</translation>
    </message>
    <message>
        <source>The same unit was scanned twice, or the label is copied.</source>
        <translation>Dasselbe Stück wurde zweimal gescannt, oder das Etikett ist kopiert.</translation>
    </message>
    <message>
        <source>Serial {serial} of {item} was already packed in sealed order {other}</source>
        <translation>Seriennr. {serial} von {item} ist schon im verschlossenen Auftrag {other} verpackt</translation>
    </message>
    <message>
        <source>Do not ship it: take it out and put it aside (a copied label, or a return never booked back in).</source>
        <translation>Nicht versenden: herausnehmen und beiseitelegen (ein kopiertes Etikett oder eine nie zurückgebuchte Retoure).</translation>
    </message>
    <message>
        <source>Seal refused: order {order} is blocked until a supervisor clears it</source>
        <translation>Verschließen abgelehnt: Auftrag {order} ist gesperrt, bis ein Schichtleiter freigibt</translation>
    </message>
    <message>
        <source>Not counted: order {order} is blocked until a supervisor clears it</source>
        <translation>Nicht gezählt: Auftrag {order} ist gesperrt, bis ein Schichtleiter freigibt</translation>
    </message>
    <message>
        <source>STILL BLOCKED</source>
        <translation>NOCH GESPERRT</translation>
    </message>
    <message>
        <source>Order {order}: all {progress} scanned. Scan SEAL.</source>
        <translation>Auftrag {order}: alle {progress} gescannt. SEAL scannen.</translation>
    </message>
    <message>
        <source>ORDER LOADED</source>
        <translation>AUFTRAG GELADEN</translation>
    </message>
    <message>
        <source>Order {order}: scan the items ({progress} so far)</source>
        <translation>Auftrag {order}: Artikel scannen (bisher {progress})</translation>
    </message>
    <message>
        <source>Order {order} sealed (short-shipped by supervisor). Scan the next order.</source>
        <translation>Auftrag {order} verschlossen (vom Schichtleiter unvollständig versandt). Nächsten Auftrag scannen.</translation>
    </message>
    <message>
        <source>Order {order} sealed. Scan the next order.</source>
        <translation>Auftrag {order} verschlossen. Nächsten Auftrag scannen.</translation>
    </message>
    <message>
        <source>SEALED</source>
        <translation>VERSCHLOSSEN</translation>
    </message>
    <message>
        <source>UNDONE</source>
        <translation>ZURÜCK</translation>
    </message>
    <message>
        <source>Taken back: {units} of {item} (now {count})</source>
        <translation>Zurückgenommen: {units} von {item} (jetzt {count})</translation>
    </message>
    <message>
        <source>CANCELLED</source>
        <translation>ABGEBROCHEN</translation>
    </message>
    <message>
        <source>Order {order} cancelled and its counts reset. Unpack it, then scan the next order.</source>
        <translation>Auftrag {order} abgebrochen, Zählung zurückgesetzt. Auspacken, dann nächsten Auftrag scannen.</translation>
    </message>
    <message>
        <source>ESCALATED</source>
        <translation>ESKALIERT</translation>
    </message>
    <message>
        <source>Handed to the central team: take the package off the bench. Scan the next order.</source>
        <translation>An die Zentrale übergeben: Paket vom Packtisch nehmen. Nächsten Auftrag scannen.</translation>
    </message>
    <message>
        <source> lot {lot}</source>
        <translation> Charge {lot}</translation>
    </message>
    <message>
        <source>One incident cleared; order {order} has more open incidents</source>
        <translation>Ein Vorfall freigegeben; Auftrag {order} hat weitere offene Vorfälle</translation>
    </message>
    <message>
        <source>Cleared by supervisor: order {order} sealed. Scan the next order.</source>
        <translation>Vom Schichtleiter freigegeben: Auftrag {order} verschlossen. Nächsten Auftrag scannen.</translation>
    </message>
    <message>
        <source>CLEARED</source>
        <translation>FREIGEGEBEN</translation>
    </message>
    <message>
        <source>Cleared by supervisor: the order was pulled. Scan the next order.</source>
        <translation>Vom Schichtleiter freigegeben: der Auftrag wurde zurückgezogen. Nächsten Auftrag scannen.</translation>
    </message>
    <message>
        <source>Cleared by supervisor: continue packing order {order}</source>
        <translation>Vom Schichtleiter freigegeben: Auftrag {order} weiter packen</translation>
    </message>
    <message>
        <source>SCAN ITEMS</source>
        <translation>ARTIKEL SCANNEN</translation>
    </message>
    <message>
        <source>Order {order}: {progress} scanned</source>
        <translation>Auftrag {order}: {progress} gescannt</translation>
    </message>
    <message>
        <source>SCAN ORDER</source>
        <translation>AUFTRAG SCANNEN</translation>
    </message>
    <message>
        <source>Scan the order barcode to start packing</source>
        <translation>Auftragsbarcode scannen, um mit dem Packen zu beginnen</translation>
    </message>
    <message>
        <source>Seal</source>
        <extracomment>What each command is called when it needs an order first (by its barcode&apos;s word).</extracomment>
        <translation>Verschließen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Zurücknehmen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Neudruck</translation>
    </message>
    <message>
        <source>NO ORDER</source>
        <translation>KEIN AUFTRAG</translation>
    </message>
    <message>
        <source>{command} needs an order on the bench: scan an order first</source>
        <translation>{command} braucht einen Auftrag am Packtisch: erst einen Auftrag scannen</translation>
    </message>
    <message>
        <source>SCAN ORDER FIRST</source>
        <translation>ERST AUFTRAG SCANNEN</translation>
    </message>
    <message>
        <source>{code} is an item: scan the order barcode first</source>
        <translation>{code} ist ein Artikel: erst den Auftragsbarcode scannen</translation>
    </message>
    <message>
        <source>No order or item {code} ({why}): check the label</source>
        <translation>Kein Auftrag und kein Artikel {code} ({why}): Etikett prüfen</translation>
    </message>
    <message>
        <source>No order or item {code}: check the label</source>
        <translation>Kein Auftrag und kein Artikel {code}: Etikett prüfen</translation>
    </message>
    <message>
        <source>NOT AN ORDER</source>
        <translation>KEIN AUFTRAG</translation>
    </message>
    <message>
        <source>FINISH THIS ORDER</source>
        <translation>ERST FERTIG PACKEN</translation>
    </message>
    <message>
        <source>Order {other} not loaded: finish or cancel order {order} first</source>
        <translation>Auftrag {other} nicht geladen: erst Auftrag {order} fertig packen oder abbrechen</translation>
    </message>
    <message>
        <source>ALREADY SEALED</source>
        <translation>SCHON VERSCHLOSSEN</translation>
    </message>
    <message>
        <source>Order {other} is already sealed</source>
        <translation>Auftrag {other} ist schon verschlossen</translation>
    </message>
    <message>
        <source>NOTHING TO UNDO</source>
        <translation>NICHTS ZURÜCK</translation>
    </message>
    <message>
        <source>Nothing counted yet on this order</source>
        <translation>Für diesen Auftrag ist noch nichts gezählt</translation>
    </message>
    <message>
        <source>UNKNOWN COMMAND</source>
        <translation>UNBEKANNTER BEFEHL</translation>
    </message>
    <message>
        <source>{code} is not a command this station knows (SEAL, UNDO, CANCEL, REPRINT)</source>
        <translation>{code} ist kein Befehl dieser Station (SEAL, UNDO, CANCEL, REPRINT)</translation>
    </message>
    <message>
        <source>serial number</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>lot number</source>
        <translation>Chargennummer</translation>
    </message>
    <message>
        <source>expiry date</source>
        <translation>Verfallsdatum</translation>
    </message>
    <message>
        <source>ONE UNIT AT A TIME</source>
        <translation>STÜCK FÜR STÜCK</translation>
    </message>
    <message>
        <source>{item}: scan each unit on its own, by its serial label</source>
        <translation>{item}: jedes Stück einzeln scannen, am Seriennummer-Etikett</translation>
    </message>
    <message>
        <source>Not counted: every unit of this item needs its own serial scan.</source>
        <translation>Nicht gezählt: jedes Stück dieses Artikels braucht einen eigenen Seriennummer-Scan.</translation>
    </message>
    <message>
        <source>{first} and {last}</source>
        <translation>{first} und {last}</translation>
    </message>
    <message>
        <source>SCAN THE SERIAL LABEL</source>
        <translation>SERIENNR. SCANNEN</translation>
    </message>
    <message>
        <source>SCAN THE LOT LABEL</source>
        <translation>CHARGE SCANNEN</translation>
    </message>
    <message>
        <source>{item}: scan the label that shows its {what}</source>
        <translation>{item}: das Etikett mit {what} scannen</translation>
    </message>
    <message>
        <source>Not counted. That was its plain barcode; this item is checked by its GS1 label (DataMatrix or GS1-128).</source>
        <translation>Nicht gezählt. Das war der einfache Barcode; dieser Artikel wird über sein GS1-Etikett geprüft (DataMatrix oder GS1-128).</translation>
    </message>
</context>
</TS>
