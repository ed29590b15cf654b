#include "accounting/StateFile.h"

#include "accounting/Ledger.h"
#include "base/DataDir.h"
#include "base/DurableFile.h"
#include "base/Logging.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace greenpulse::core {

StateFile::StateFile(QString path) : m_path(std::move(path)) {}

QString StateFile::defaultPath(const QString &programName)
{
    return defaultDataDir() + QStringLiteral("/ledger-") + programName + QStringLiteral(".json");
}

QString StateFile::journalPath() const
{
    return m_path.isEmpty() ? QString() : m_path + QStringLiteral(".journal");
}

StateFile::LoadResult StateFile::load(Ledger &ledger, QJsonObject *root)
{
    if (m_path.isEmpty()) {
        return LoadResult::Missing;
    }
    QFile::remove(m_path + QStringLiteral(".tmp")); // a save cut short by a crash
    if (!QFileInfo::exists(m_path)) {
        return LoadResult::Missing;
    }
    QFile file(m_path);
    QString problem;
    QJsonDocument doc;
    if (!file.open(QIODevice::ReadOnly)) {
        problem = file.errorString();
    } else {
        QJsonParseError parseError{};
        doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            problem = parseError.errorString();
        } else if (!doc.isObject()) {
            problem = QStringLiteral("not a JSON object");
        }
    }
    file.close();
    if (problem.isEmpty()) {
        ledger.restore(doc.object().value(QLatin1String("ledger")).toObject(), &problem);
    }
    if (!problem.isEmpty()) {
        // Keep the unreadable file for inspection and start from zero rather than refuse to run.
        const QString aside = m_path + QStringLiteral(".unreadable-") +
                              QString::number(QDateTime::currentSecsSinceEpoch());
        QFile::rename(m_path, aside);
        qCWarning(lcProcessor) << "state file" << m_path << "is unreadable (" << problem
                               << "); moved to" << aside << "and starting from zero";
        return LoadResult::MovedAside;
    }
    *root = doc.object();
    qCInfo(lcProcessor) << "resumed totals from" << m_path << "with" << ledger.jobs().size()
                        << "jobs";
    return LoadResult::Loaded;
}

bool StateFile::prepareFolder(QString *error) const
{
    return m_path.isEmpty() || durable::makePrivateDir(QFileInfo(m_path).absolutePath(), error);
}

bool StateFile::save(const Ledger &ledger, const QJsonObject &extra, QString *error)
{
    QJsonObject root = extra;
    root[QLatin1String("ledger")] = ledger.toJson();
    root[QLatin1String("saved_at")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    QString why;
    const bool ok =
        durable::writeAtomically(m_path, QJsonDocument(root).toJson(QJsonDocument::Compact), &why);
    noteResult(ok, why);
    if (!ok && error) {
        *error = why;
    }
    return ok;
}

void StateFile::noteResult(bool ok, const QString &error)
{
    if (ok) {
        if (m_saves.recover()) {
            qCInfo(lcProcessor).noquote()
                << QStringLiteral("state file %1 saved again after %2 failed saves; the totals "
                                  "are safe on disk")
                       .arg(m_path)
                       .arg(m_saves.failuresInARow());
        }
        m_error.clear();
        return;
    }
    if (m_saves.fail()) {
        qCWarning(lcProcessor).noquote()
            << QStringLiteral("cannot save the state file (%1); keeping the previous one and "
                              "retrying every save interval: totals since then are not on disk")
                   .arg(error);
    }
    m_error = error;
}

} // namespace greenpulse::core
