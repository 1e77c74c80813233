// For collectors' .cpp files only: a NameResolver answer brought back onto an Asio strand as endpoints.
#pragma once

#include <utility> // Boost 1.74's Asio needs it before its headers with GCC 12.

#include "collectors/name_resolver.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <string>
#include <vector>

namespace pulse::detail {

using Endpoints = std::vector<boost::asio::ip::tcp::endpoint>;

/// resolveOnStrand asks `resolver` for `host` and runs `onAnswer(owner, endpoints or error)` on
/// `strand` if the owner is still alive then. The answer may come from a resolver thread, or after
/// the owner's deadline has answered (the caller's timer keeps the owner alive until then, and its
/// onAnswer must then ignore it). Addresses that do not parse are skipped; none left is an error
/// naming `host`.
template <class Owner, class Strand, class OnAnswer>
void resolveOnStrand(NameResolver &resolver, const std::string &host, unsigned short port, const Strand &strand,
                     const std::shared_ptr<Owner> &owner, OnAnswer onAnswer)
{
    resolver.resolve(host, [weak = std::weak_ptr<Owner>(owner), strand, host, port,
                            onAnswer](const Result<std::vector<std::string>> &addresses) {
        Result<Endpoints> answer = Endpoints{};
        if (!addresses) {
            answer = std::unexpected(addresses.error());
        } else {
            for (const std::string &text : *addresses) {
                boost::system::error_code bad;
                const auto address = boost::asio::ip::make_address(text, bad);
                if (!bad)
                    answer->emplace_back(address, port);
            }
            if (answer->empty())
                answer = fail("resolving " + host + ": no usable address");
        }
        boost::asio::post(strand, [weak, onAnswer, answer = std::move(answer)] {
            if (auto self = weak.lock())
                onAnswer(*self, answer);
        });
    });
}

} // namespace pulse::detail
