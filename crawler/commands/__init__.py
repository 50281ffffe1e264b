"""Project commands (COMMANDS_MODULE): `scrapy crawl` with exit codes a cron job can trust."""
