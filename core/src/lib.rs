//! Carnet's core: the encrypted family health vault.
