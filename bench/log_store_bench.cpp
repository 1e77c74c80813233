// log_store_bench: the persisted log store on a user's path, end to end.
//
//   log_store_bench --file LOG --format F --db DB [--word W]... [--substring S]... [--skip-ingest]
//
// Ingest: a `kind: log` target (start_at: beginning) tails LOG through LogCollector — the tailer,
// the parser, the logs-as-metrics counters — into SampleWriter, which commits records, FTS5 trigram
// index rows and positions in its transactions; timed from start until every line of LOG is
// committed. Search: SqliteLogReader, as the log view asks — the newest page (5,000 lines) of the
// whole range for each word and substring, median of 5. Prints key=value lines.
#include "collectors/log_collector.h"
#include "core/base/clock.h"
#include "core/logs/log_format.h"
#include "storage/sample_writer.h"
#include "storage/sqlite_log_reader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include <sys/stat.h>

using namespace pulse;

namespace {

std::uint64_t countLines(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<char> buffer(std::size_t{1} << 20);
    std::uint64_t lines = 0;
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        const auto got = std::size_t(in.gcount());
        lines += std::uint64_t(std::count(buffer.data(), buffer.data() + got, '\n'));
    }
    return lines;
}

std::uint64_t fileBytes(const std::string &path)
{
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 ? std::uint64_t(info.st_size) : 0;
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int ingest(const std::string &file, LogFormat format, const std::string &db)
{
    const std::uint64_t lines = countLines(file);
    storage::SampleWriterOptions options;
    options.logRetentionMs = 0; // the generated lines may carry any time: keep them all
    auto writer = storage::SampleWriter::open(db, options);
    if (!writer) {
        std::cerr << "log_store_bench: " << writer.error().message << '\n';
        return 1;
    }
    SystemClock clock;
    LogOptions log;
    log.path = file;
    log.format = format;
    log.startAtBeginning = true;
    TargetConfig target{log};
    target.name = "bench";
    const auto start = std::chrono::steady_clock::now();
    {
        // The derived series go to the same writer, as in the app.
        LogCollector collector(**writer, clock, writer->get());
        collector.start({target});
        while ((*writer)->status().committedLogRecords < lines) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (secondsSince(start) > 3600) {
                std::cerr << "log_store_bench: ingest did not finish in an hour\n";
                return 1;
            }
        }
        collector.stop();
    }
    const double seconds = secondsSince(start);
    (*writer)->stop();
    const auto status = (*writer)->status();
    std::cout << "ingest_lines=" << lines << "\ningest_file_bytes=" << fileBytes(file) << "\ningest_seconds=" << seconds
              << "\ningest_lines_per_s=" << double(lines) / seconds << "\nlog_stored_bytes=" << status.storedLogBytes
              << "\ndb_bytes=" << fileBytes(db) << "\ndb_bytes_per_line=" << double(fileBytes(db)) / double(lines)
              << '\n';
    return 0;
}

int search(const std::string &db, const std::vector<std::string> &words, const std::vector<std::string> &substrings)
{
    auto reader = storage::SqliteLogReader::open(db);
    if (!reader) {
        std::cerr << "log_store_bench: " << reader.error().message << '\n';
        return 1;
    }
    const auto run = [&](const std::string &name, const std::string &text) {
        LogQuery q;
        q.text = text;
        q.limit = LogQuery::kDefaultLimit;
        std::vector<double> ms;
        std::size_t found = 0;
        for (int i = 0; i < 5; ++i) {
            const auto start = std::chrono::steady_clock::now();
            auto records = (*reader)->query(q);
            ms.push_back(secondsSince(start) * 1000);
            found = records ? records->size() : 0;
        }
        std::sort(ms.begin(), ms.end());
        std::cout << "search_" << name << "=" << text << "\nsearch_" << name << "_ms=" << ms[2] << "\nsearch_" << name
                  << "_found=" << found << '\n';
    };
    for (std::size_t i = 0; i < words.size(); ++i)
        run("word" + std::to_string(i + 1), words[i]);
    for (std::size_t i = 0; i < substrings.size(); ++i)
        run("substring" + std::to_string(i + 1), substrings[i]);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    std::string file, db, formatName = "nginx_combined";
    std::vector<std::string> words, substrings;
    bool skipIngest = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--file" && hasValue)
            file = argv[++i];
        else if (a == "--db" && hasValue)
            db = argv[++i];
        else if (a == "--format" && hasValue)
            formatName = argv[++i];
        else if (a == "--word" && hasValue)
            words.emplace_back(argv[++i]);
        else if (a == "--substring" && hasValue)
            substrings.emplace_back(argv[++i]);
        else if (a == "--skip-ingest")
            skipIngest = true;
        else {
            std::cerr << "usage: log_store_bench --file LOG --format F --db DB [--word W]... [--substring S]... "
                         "[--skip-ingest]\n";
            return 2;
        }
    }
    const auto format = logFormatFromName(formatName);
    if (file.empty() || db.empty() || !format) {
        std::cerr << "log_store_bench: --file, --db and a known --format are required\n";
        return 2;
    }
    if (!skipIngest) {
        if (const int status = ingest(file, *format, db); status != 0)
            return status;
    }
    return search(db, words, substrings);
}
