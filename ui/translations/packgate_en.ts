<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Blocked</name>
    <message numerus="yes">
        <source>{sku} {item}: %n missing</source>
        <translation>
            <numerusform>{sku} {item}: %n missing</numerusform>
            <numerusform>{sku} {item}: %n missing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more open incident(s) (see the list)</source>
        <translation>
            <numerusform>… and %n more open incident (see the list)</numerusform>
            <numerusform>… and %n more open incidents (see the list)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>One incident cleared by a supervisor – %n more incident(s) to clear, {blocked}</source>
        <translation>
            <numerusform>One incident cleared by a supervisor – %n more incident to clear, {blocked}</numerusform>
            <numerusform>One incident cleared by a supervisor – %n more incidents to clear, {blocked}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Incident</name>
    <message numerus="yes">
        <source>%n unit(s)</source>
        <translation>
            <numerusform>%n unit</numerusform>
            <numerusform>%n units</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PackerWindow</name>
    <message numerus="yes">
        <source>Scanner flooding: %Ln line(s) dropped ({source}). Check the scanner&apos;s settings.</source>
        <translation>
            <numerusform>Scanner flooding: %Ln line dropped ({source}). Check the scanner&apos;s settings.</numerusform>
            <numerusform>Scanner flooding: %Ln lines dropped ({source}). Check the scanner&apos;s settings.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{scanned} / %n unit(s)</source>
        <translation>
            <numerusform>{scanned} / %n unit</numerusform>
            <numerusform>{scanned} / %n units</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left</source>
        <translation>
            <numerusform>%n left</numerusform>
            <numerusform>%n left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message numerus="yes">
        <source>{what}: waiting, {why}, trying again in %n s</source>
        <translation>
            <numerusform>{what}: waiting, {why}, trying again in %n s</numerusform>
            <numerusform>{what}: waiting, {why}, trying again in %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Scale</name>
    <message numerus="yes">
        <source>; %n product(s) without a known weight</source>
        <translation>
            <numerusform>; %n product without a known weight</numerusform>
            <numerusform>; %n products without a known weight</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message numerus="yes">
        <source> at %n station(s)</source>
        <translation>
            <numerusform> at %n station</numerusform>
            <numerusform> at %n stations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Hand-over from {who} at {time}: %n open incident(s) — waiting for the next supervisor to acknowledge.</source>
        <translation>
            <numerusform>Hand-over from {who} at {time}: %n open incident — waiting for the next supervisor to acknowledge.</numerusform>
            <numerusform>Hand-over from {who} at {time}: %n open incidents — waiting for the next supervisor to acknowledge.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Last hand-over from {who} acknowledged by {by} at {time} (%n open incident(s) taken over).</source>
        <translation>
            <numerusform>Last hand-over from {who} acknowledged by {by} at {time} (%n open incident taken over).</numerusform>
            <numerusform>Last hand-over from {who} acknowledged by {by} at {time} (%n open incidents taken over).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message numerus="yes">
        <source>Cannot seal order {order}: %n unit(s) still missing</source>
        <translation>
            <numerusform>Cannot seal order {order}: %n unit still missing</numerusform>
            <numerusform>Cannot seal order {order}: %n units still missing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{sku} {item}: %n missing ({scanned} of {ordered})</source>
        <translation>
            <numerusform>{sku} {item}: %n missing ({scanned} of {ordered})</numerusform>
            <numerusform>{sku} {item}: %n missing ({scanned} of {ordered})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more line(s) (see the list below)</source>
        <translation>
            <numerusform>… and %n more line (see the list below)</numerusform>
            <numerusform>… and %n more lines (see the list below)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{scanned} of %n unit(s)</source>
        <translation>
            <numerusform>{scanned} of %n unit</numerusform>
            <numerusform>{scanned} of %n units</numerusform>
        </translation>
    </message>
</context>
</TS>
