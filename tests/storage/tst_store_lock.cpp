// One writer per history file: a second StoreWriter on a file that is being written is refused with
// the holder's pid, nothing of the file changes, and the lock goes with its holder.
#include "storage/store_lock.h"
#include "storage/store_writer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace pulse;
using namespace pulse::storage;

class TstStoreLock : public QObject {
    Q_OBJECT
private slots:
    void secondLockNamesTheHolder()
    {
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto first = StoreLock::acquire(db);
        QVERIFY(first);
        QFile file(QString::fromStdString(StoreLock::lockPathFor(db)));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().trimmed(), QByteArray::number(getpid()));
        auto second = StoreLock::acquire(db);
        QVERIFY(!second);
        const std::string pid = "(pid " + std::to_string(getpid()) + ")";
        QVERIFY2(second.error().message.find("is in use by another Pulseboard " + pid) != std::string::npos,
                 second.error().message.c_str());
        // Released with its holder: the next one gets it, though the lock file stays.
        *first = StoreLock();
        QVERIFY(StoreLock::acquire(db));
    }

    void aSymlinkToTheFileSharesItsLock()
    {
        QTemporaryDir dir;
        const QString real = dir.filePath(QStringLiteral("h.db"));
        const QString link = dir.filePath(QStringLiteral("link.db"));
        QVERIFY(StoreWriter::open(real.toStdString())); // the file exists (then closes)
        QVERIFY(QFile::link(real, link));
        auto viaReal = StoreLock::acquire(real.toStdString());
        QVERIFY(viaReal);
        QVERIFY(!StoreLock::acquire(link.toStdString()));
        QVERIFY(!StoreWriter::open(link.toStdString()));
    }

    void secondWriterIsRefusedAndChangesNothing()
    {
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto writer = StoreWriter::open(db);
        QVERIFY(writer);
        (*writer)->add("up", Labels({{"job", "a"}}), 1'700'000'000'000, 1);
        QVERIFY((*writer)->commit());
        auto second = StoreWriter::open(db);
        QVERIFY(!second);
        QVERIFY2(second.error().message.find("in use by another Pulseboard") != std::string::npos,
                 second.error().message.c_str());
        (*writer)->add("up", Labels({{"job", "a"}}), 1'700'000'015'000, 1);
        QVERIFY((*writer)->commit());
        writer->reset();
        // The first writer gone, the file opens for writing again.
        auto again = StoreWriter::open(db);
        QVERIFY2(again, again ? "" : again.error().message.c_str());
    }

    void notADatabaseGetsNoLockFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.txt"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("my notes, not a database\n");
        f.close();
        QVERIFY(!StoreWriter::open(path.toStdString()));
        QVERIFY(!QFile::exists(path + QStringLiteral(".lock")));
    }
};

QTEST_GUILESS_MAIN(TstStoreLock)
#include "tst_store_lock.moc"
