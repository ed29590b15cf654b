#include <gtest/gtest.h>

TEST(Placeholder, test_processor) { SUCCEED(); }
