"""Utilities shared by sklstm's estimators."""
