"""phongdich: the operations system a Vietnamese city runs to fight an epidemic."""
