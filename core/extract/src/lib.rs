//! Content identification and text extraction for Carnet (see the module docs).
