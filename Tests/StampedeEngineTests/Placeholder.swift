// Placeholder: tests for this target land with their module.
import Testing
