"""The directory: countries, mission offices and their e-mails, staff contacts, hotlines."""
