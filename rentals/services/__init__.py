"""Writes of the rentals app, split by subdomain (house style: split past ~300 lines).

Import from the submodules: ``reservations`` (reserve, cancel, the state
machine), ``locker`` (PINs, pickup, return, opening), ``periodic`` (no-shows,
overdue, retention), ``staff`` (maintenance, condition, problem reports),
``confirmation`` (email, QR, iCal) and ``codes`` (PINs and tokens).
"""
