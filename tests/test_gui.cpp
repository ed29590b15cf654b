#include <gtest/gtest.h>

#include <QApplication>

TEST(Placeholder, gui) { SUCCEED(); }

int main(int argc, char **argv)
{
    // Headless unless a display is given (gtest discovery runs without the test ENVIRONMENT).
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
