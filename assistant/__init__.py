"""The resolution assistant: retrieval, cited answers, alignment and harmonized drafting."""
