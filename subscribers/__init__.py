"""Subscribers, their consent, and sending issues by e-mail (campaigns and deliveries)."""
