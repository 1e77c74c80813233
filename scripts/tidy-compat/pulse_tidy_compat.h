// Force-included by scripts/tidy only (clang-tidy 16 + libstdc++ 12). clang 16 implements what
// libstdc++'s <expected> needs (P0848) but still reports __cpp_concepts as 201907, so the header
// hides std::expected; raising the macro here, in a system header, shows it without a warning.
#pragma clang system_header
#undef __cpp_concepts
#define __cpp_concepts 202002L
