"""Input articles: validation into Article, text cleaning, HTML extraction, language detection."""
