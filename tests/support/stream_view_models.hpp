#pragma once
// One model per stream view, each on a table of its own (StreamBoth, StreamKeys, StreamNew,
// StreamOld): the stream reader's and the Lambda events' integration tests read the same tables.

#include <bloop/model/model.hpp>

#include <string>

namespace stream_app {

struct Both {
    std::string id;
    std::string value;
};
struct Keys {
    std::string id;
    std::string value;
};
struct New {
    std::string id;
    std::string value;
};
struct Old {
    std::string id;
    std::string value;
};

}  // namespace stream_app

#define STREAM_MODEL(T, VIEW)                                                                   \
    template <>                                                                                 \
    struct bloop::Model<stream_app::T> {                                                        \
        static constexpr Meta meta{.table_name = "Stream" #T, .stream = VIEW};                  \
        static constexpr auto columns = bloop::columns(column<&stream_app::T::id>().hash_key(), \
                                                       column<&stream_app::T::value>());        \
    }
STREAM_MODEL(Both, StreamView::new_and_old_images);
STREAM_MODEL(Keys, StreamView::keys_only);
STREAM_MODEL(New, StreamView::new_image);
STREAM_MODEL(Old, StreamView::old_image);
#undef STREAM_MODEL
