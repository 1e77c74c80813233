// Overloaded: one visitor out of several lambdas, for std::visit over the AST's node variant.
#pragma once

namespace pulse::promql {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
// C++20 deduces this by itself; clang before 17 (clang-tidy, the fuzz build) needs the guide.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace pulse::promql
