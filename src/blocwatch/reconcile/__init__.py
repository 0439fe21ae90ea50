"""Reconcile stage: facts across documents (read from the store), e.g. one person's spellings."""
