// Job ids: <name>_<unix seconds>_<6 lowercase hex digits>; the name may contain underscores.
#include "protocol/JobId.h"
#include "protocol/Protocol.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <gtest/gtest.h>

using namespace greenpulse::core;

TEST(JobId, MakeHasTheContractShape)
{
    QRandomGenerator random(42);
    const QString id = jobid::make(QStringLiteral("Initial_Model_Train"), 1764049200, random);
    const QRegularExpression shape(QStringLiteral("^Initial_Model_Train_1764049200_[0-9a-f]{6}$"));
    EXPECT_TRUE(shape.match(id).hasMatch()) << id.toStdString();
    EXPECT_TRUE(jobid::isWellFormed(id));

    QString name;
    qint64 seconds = 0;
    QString suffix;
    ASSERT_TRUE(jobid::split(id, &name, &seconds, &suffix));
    EXPECT_EQ(name, QStringLiteral("Initial_Model_Train"));
    EXPECT_EQ(seconds, 1764049200);
    EXPECT_EQ(suffix, id.right(6));
}

TEST(JobId, SameSeedSameId)
{
    QRandomGenerator a(7);
    QRandomGenerator b(7);
    EXPECT_EQ(jobid::make(QStringLiteral("x"), 1, a), jobid::make(QStringLiteral("x"), 1, b));
}

TEST(JobId, SuffixesVaryAndAreZeroPadded)
{
    QRandomGenerator random(1);
    QSet<QString> ids;
    for (int i = 0; i < 2000; ++i) {
        const QString id = jobid::make(QStringLiteral("n"), 1764049200, random);
        ASSERT_EQ(id.size(), 19) << id.toStdString(); // "n_" + 10 digits + "_" + 6 hex
        ASSERT_TRUE(jobid::isWellFormed(id)) << id.toStdString();
        ids.insert(id);
    }
    EXPECT_GT(ids.size(), 1990); // 2000 draws from 16.7 million
}

TEST(JobId, MakeNowUsesTheCurrentTime)
{
    const qint64 before = QDateTime::currentSecsSinceEpoch();
    const QString id = jobid::make(QStringLiteral("train run"));
    const qint64 after = QDateTime::currentSecsSinceEpoch();
    QString name;
    qint64 seconds = 0;
    ASSERT_TRUE(jobid::split(id, &name, &seconds, nullptr)) << id.toStdString();
    EXPECT_EQ(name, QStringLiteral("train_run"));
    EXPECT_GE(seconds, before);
    EXPECT_LE(seconds, after);
}

TEST(JobId, SanitizeName)
{
    EXPECT_EQ(jobid::sanitizeName(QStringLiteral("Initial_Model_Train")),
              QStringLiteral("Initial_Model_Train"));
    EXPECT_EQ(jobid::sanitizeName(QStringLiteral("a.b-c_D9")), QStringLiteral("a.b-c_D9"));
    EXPECT_EQ(jobid::sanitizeName(QStringLiteral("my job/v2!")), QStringLiteral("my_job_v2_"));
    EXPECT_EQ(jobid::sanitizeName(QStringLiteral("caf\u00e9 #1")), QStringLiteral("caf___1"));
    EXPECT_EQ(jobid::sanitizeName(QStringLiteral("tab\there\n")), QStringLiteral("tab_here_"));
    EXPECT_EQ(jobid::sanitizeName(QString()), QStringLiteral("job"));
    // Long names are shortened so that ids stay within what the decoder accepts.
    QRandomGenerator random(3);
    const QString id = jobid::make(QString(1000, QLatin1Char('n')), 1764049200, random);
    EXPECT_LE(id.size(), kMaxIdLength);
    EXPECT_TRUE(jobid::isWellFormed(id));
}

TEST(JobId, SplitNamesWithUnderscoresAndDigits)
{
    QString name;
    qint64 seconds = 0;
    QString suffix;
    ASSERT_TRUE(jobid::split(QStringLiteral("a_1_2_3_000000"), &name, &seconds, &suffix));
    EXPECT_EQ(name, QStringLiteral("a_1_2"));
    EXPECT_EQ(seconds, 3);
    EXPECT_EQ(suffix, QStringLiteral("000000"));
    ASSERT_TRUE(jobid::split(QStringLiteral("__x__1764049200_ffffff"), &name, &seconds, &suffix));
    EXPECT_EQ(name, QStringLiteral("__x_"));
    EXPECT_EQ(seconds, 1764049200);
    ASSERT_TRUE(
        jobid::split(QStringLiteral("llama-3.1_8b_1764049200_0a0b0c"), &name, nullptr, nullptr));
    EXPECT_EQ(name, QStringLiteral("llama-3.1_8b"));
}

TEST(JobId, RejectsMalformedIdsAndLeavesOutputsAlone)
{
    const char *bad[] = {
        "",
        "idle",
        "Initial_Model_Train",
        "Initial_Model_Train_1764049200",
        "Initial_Model_Train_1764049200_A1B2C3", // uppercase hex
        "Initial_Model_Train_1764049200_a1b2c",  // 5 digits
        "Initial_Model_Train_1764049200_a1b2c3d",
        "Initial_Model_Train_1764049200_a1b2g3",
        "_1764049200_a1b2c3", // empty name
        "x__a1b2c3",          // empty seconds
        "x_17640x9200_a1b2c3",
        "x_-1764049200_a1b2c3",
        "x_1234567890123456789_a1b2c3", // more than 18 digits
        "my job_1764049200_a1b2c3",     // space in the name
        "a/b_1764049200_a1b2c3",
        "x_1764049200-a1b2c3",
    };
    for (const char *text : bad) {
        const QString id = QString::fromUtf8(text);
        EXPECT_FALSE(jobid::isWellFormed(id)) << text;
        QString name = QStringLiteral("untouched");
        qint64 seconds = -5;
        QString suffix = QStringLiteral("untouched");
        EXPECT_FALSE(jobid::split(id, &name, &seconds, &suffix)) << text;
        EXPECT_EQ(name, QStringLiteral("untouched"));
        EXPECT_EQ(seconds, -5);
        EXPECT_EQ(suffix, QStringLiteral("untouched"));
    }
    EXPECT_FALSE(jobid::isWellFormed(QString(kMaxIdLength, QLatin1Char('a')) +
                                     QStringLiteral("_1764049200_a1b2c3")));
    EXPECT_FALSE(jobid::isWellFormed(QString::fromUtf8(jobid::kIdle)));
}

TEST(JobId, MadeIdsPassTheDecoder)
{
    QRandomGenerator random(9);
    const QString id = jobid::make(QStringLiteral("Fine tune: run #3"), 1764049200, random);
    const QByteArray payload = R"({"status":"start","job_id":")" + id.toUtf8() + R"("})";
    const Decoded decoded = decode(topics::kControl, payload, 1);
    const auto *message = std::get_if<ControlMessage>(&decoded);
    ASSERT_NE(message, nullptr);
    EXPECT_EQ(message->jobId, id);
}

TEST(JobId, SlurmIdsAreBuiltAndSplitByOneRule)
{
    EXPECT_EQ(jobid::slurm(QStringLiteral("gptest"), QStringLiteral("42")),
              QStringLiteral("slurm-gptest-42"));
    EXPECT_EQ(jobid::slurm(QString(), QStringLiteral("42")), QStringLiteral("slurm-42"));
    QString cluster = QStringLiteral("unchanged");
    QString id;
    ASSERT_TRUE(jobid::splitSlurm(QStringLiteral("slurm-my-cluster-7"), &cluster, &id));
    EXPECT_EQ(cluster, QStringLiteral("my-cluster"));
    EXPECT_EQ(id, QStringLiteral("7"));
    ASSERT_TRUE(jobid::splitSlurm(QStringLiteral("slurm-9"), &cluster, &id));
    EXPECT_TRUE(cluster.isEmpty());
    EXPECT_EQ(id, QStringLiteral("9"));
    for (const char *other :
         {"slurm-", "slurm--3", "slurm-gptest-x", "train_1764049200_a1b2c3", "idle"}) {
        EXPECT_FALSE(jobid::splitSlurm(QLatin1String(other), nullptr, nullptr)) << other;
    }
}
