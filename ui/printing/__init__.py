"""Printing at the bench: the documents (``slip_pdf``), one pass of printing (``runner``), the worker thread
(``worker``), its Qt bridge (``bridge``), the words (``words``), the bench's panel (``panel``) and the settings
page (``settings_page``). The durable jobs are the domain's (``station.printing``)."""
