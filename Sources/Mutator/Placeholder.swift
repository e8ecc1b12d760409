// Placeholder until this module holds real code.
enum MutatorPlaceholder {}
