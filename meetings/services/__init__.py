"""The use cases of meetings, one module per concept: scheduling (meetings, invitations, answers,
attendance, calendar links) and agenda (items, papers, agreeing and publishing)."""
