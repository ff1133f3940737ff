"""Services of confidential groups: groups and members, invitations, identities, threads."""
