// ProcTraceeView::read_string on a live process (this one): strings longer than one read,
// strings that end at a page boundary before an unmapped page, and the 4096-byte limit.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "proc_view.hpp"

namespace syscap::capabilities::detail {
namespace {

class ReadStringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Two pages, the second unmapped: a string may end right before it.
    void* p = mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(p, MAP_FAILED);
    page_ = static_cast<char*>(p);
    ASSERT_EQ(mprotect(page_ + 4096, 4096, PROT_NONE), 0);
  }
  void TearDown() override { munmap(page_, 8192); }
  std::optional<std::string> read(const char* addr) {
    ProcTraceeView view(getpid(), callers_, nondumpable_);
    return view.read_string(reinterpret_cast<std::uint64_t>(addr));
  }
  char* page_ = nullptr;
  std::unordered_map<pid_t, ProcessFacts> callers_;
  std::set<pid_t> nondumpable_;
};

TEST_F(ReadStringTest, LongerThanOneRead) {
  const std::string want(1000, 'x');
  std::memcpy(page_ + 100, want.c_str(), want.size() + 1);
  EXPECT_EQ(read(page_ + 100), want);
}

TEST_F(ReadStringTest, EndsAtThePageEndBeforeAnUnmappedPage) {
  const std::string want = "/usr/include/stdio.h";
  char* at = page_ + 4096 - want.size() - 1;
  std::memcpy(at, want.c_str(), want.size() + 1);
  EXPECT_EQ(read(at), want);
  EXPECT_EQ(read(page_ + 4095 - 0), "") << "the NUL is the page's last byte";
}

TEST_F(ReadStringTest, UnterminatedIntoAnUnmappedPageIsUnreadable) {
  std::memset(page_, 'y', 4096);
  EXPECT_EQ(read(page_ + 4000), std::nullopt);
}

TEST_F(ReadStringTest, AtMostPathMaxBytes) {
  // 4095 characters and the NUL: the longest path the kernel takes.
  std::memset(page_, 'z', 4095);
  page_[4095] = '\0';
  auto got = read(page_);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size(), 4095u);
  // The whole page without a NUL: ENAMETOOLONG for the kernel, unreadable for us, and the read
  // stops before the unreadable page is touched.
  page_[4095] = 'z';
  EXPECT_EQ(read(page_), std::nullopt);
  // The same from a start that is not a chunk boundary.
  ASSERT_EQ(mprotect(page_ + 4096, 4096, PROT_READ | PROT_WRITE), 0);
  std::memset(page_ + 4096, 'z', 4096);
  EXPECT_EQ(read(page_ + 100), std::nullopt);
  page_[100 + 4095] = '\0';
  got = read(page_ + 100);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size(), 4095u);
}

}  // namespace
}  // namespace syscap::capabilities::detail
