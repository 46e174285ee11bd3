"""Webhooks: CRUD for every kind of owner, the transactional outbox, signed delivery with retries."""
