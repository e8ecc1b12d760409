// Placeholder until this module holds real code.
enum RecorderPlaceholder {}
