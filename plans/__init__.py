"""The partnership plan: themes, priorities, measures, action plans and progress."""
