"""Writes of the academy, split by subdomain: registrations, sessions, messages."""
