"""The herald crawler: discovers NZ Herald articles, extracts article records, archives them."""
