"""The web side: pages, the JSON API, feeds and calendar files, sharing, i18n, security, health.

Each blueprint stands alone: what two of them share (search state, lookups) lives in a module of its own.
"""
