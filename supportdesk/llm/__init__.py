"""The LLM layer every feature shares: providers, call records, retries and the circuit
breaker, the prompt-injection fence."""
