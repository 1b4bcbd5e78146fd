"""Stage 2, procedural: the research model as plain functions and two scripts."""
