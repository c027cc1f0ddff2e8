"""Writes of the Ideenspeicher, split by subdomain.

``submission``: submit, moderate, merge, support, follow.
``evaluation``: groups, rounds, blind scores, recusal, closing, decisions.
``projects``: promotion of a selected idea to a project page.
``notices``: telling authors and followers about a new timeline step.
"""
