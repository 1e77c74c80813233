// UTC timestamp formatting for simulated time.
#include "demo/demo_time.h"

#include <chrono>
#include <cstdio>

namespace pulse::demo {
namespace {

struct CivilTime {
    int year;
    unsigned month;
    unsigned day;
    long long hours;
    long long minutes;
    long long seconds;
    long long millis;
};

CivilTime civilTime(std::int64_t atMs)
{
    using namespace std::chrono;
    const sys_time<milliseconds> point{milliseconds(atMs)};
    const sys_days dayPoint = floor<days>(point);
    const year_month_day date{dayPoint};
    const hh_mm_ss<milliseconds> time{point - dayPoint};
    return {int(date.year()),       unsigned(date.month()), unsigned(date.day()),     time.hours().count(),
            time.minutes().count(), time.seconds().count(), time.subseconds().count()};
}

} // namespace

std::string formatNginxTime(std::int64_t atMs)
{
    static constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const CivilTime t = civilTime(atMs);
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%02u/%s/%04d:%02lld:%02lld:%02lld +0000", t.day, kMonths[t.month - 1], t.year,
                  t.hours, t.minutes, t.seconds);
    return buffer;
}

std::string formatIsoTime(std::int64_t atMs)
{
    const CivilTime t = civilTime(atMs);
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", t.year, t.month, t.day, t.hours,
                  t.minutes, t.seconds, t.millis);
    return buffer;
}

} // namespace pulse::demo
