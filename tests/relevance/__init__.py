"""Relevance evaluation: judged queries over real talks, scored for the site and two stock baselines."""
