"""Kafka on kafka-python: clients, record headers, the partition reader, the group lease, the embedded broker."""
