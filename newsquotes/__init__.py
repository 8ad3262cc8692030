"""newsquotes: news articles to a warehouse of entities and attributed quotes."""

__version__ = "0.1.0"
