//! Agenda and prevention calendar for Carnet (see the module docs).
