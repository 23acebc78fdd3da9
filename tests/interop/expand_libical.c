/* Expands every VEVENT of an .ics file with libical (Evolution's engine): "YYYY-MM-DD<TAB>UID<TAB>SUMMARY" lines.
 *
 * Usage: expand_libical FILE FIRST LAST (dates as YYYY-MM-DD, both included). icalcomponent_foreach_recurrence
 * applies RRULE, RDATE and EXDATE exactly as Evolution's calendar backend does. Built by tests/interop/clients.py
 * with: cc expand_libical.c $(pkg-config --cflags --libs libical)
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct window {
    struct icaltimetype first;
    struct icaltimetype last;
};

static void print_one(icalcomponent *event, struct icaltime_span *span, void *data) {
    const struct window *window = data;
    /* All-day events span whole UTC days here: the start's UTC calendar day is the event's date. */
    struct icaltimetype day = icaltime_from_timet_with_zone(span->start, 1, icaltimezone_get_utc_timezone());
    if (icaltime_compare_date_only(day, window->first) < 0 || icaltime_compare_date_only(day, window->last) > 0) {
        return;
    }
    const char *uid = icalcomponent_get_uid(event);
    const char *summary = icalcomponent_get_summary(event);
    printf("%04d-%02d-%02d\t%s\t%s\n", day.year, day.month, day.day, uid ? uid : "", summary ? summary : "");
}

static int read_day(const char *text, struct icaltimetype *day) {
    return sscanf(text, "%4d-%2d-%2d", &day->year, &day->month, &day->day) == 3;
}

static char *read_all(const char *path) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return NULL;
    }
    size_t size = 0, capacity = 65536;
    char *text = malloc(capacity);
    size_t got;
    while (text != NULL && (got = fread(text + size, 1, capacity - size - 1, file)) > 0) {
        size += got;
        if (capacity - size - 1 == 0) {
            capacity *= 2;
            text = realloc(text, capacity);
        }
    }
    fclose(file);
    if (text != NULL) {
        text[size] = '\0';
    }
    return text;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s FILE FIRST LAST\n", argv[0]);
        return 2;
    }
    char *text = read_all(argv[1]);
    if (text == NULL) {
        perror(argv[1]);
        return 1;
    }
    icalcomponent *root = icalparser_parse_string(text);
    free(text);
    if (root == NULL) {
        fprintf(stderr, "libical could not parse %s: %s\n", argv[1], icalerror_strerror(icalerrno));
        return 1;
    }
    struct window window = {icaltime_null_date(), icaltime_null_date()};
    if (!read_day(argv[2], &window.first) || !read_day(argv[3], &window.last)) {
        fprintf(stderr, "dates are YYYY-MM-DD: %s %s\n", argv[2], argv[3]);
        return 2;
    }
    /* The search window ends after the last day so that events on it are included. */
    struct icaltimetype until = icaltime_add(window.last, icaldurationtype_from_int(24 * 3600));
    int events = 0;
    for (icalcomponent *event = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); event != NULL;
         event = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
        icalcomponent_foreach_recurrence(event, window.first, until, print_one, &window);
        events++;
    }
    icalcomponent_free(root);
    if (events == 0) {
        fprintf(stderr, "no VEVENT in %s\n", argv[1]);
        return 1;
    }
    return 0;
}
