"""The core: the record, the campaign's rules and the operations. It imports no Excel library."""
