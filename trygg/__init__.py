"""Trygg: case management, referral and statistics for victims of human trafficking."""
