package app.statustracker.ingest;

import java.util.List;

/** How a timeline line names a list of other titles: the first few, then how many more. */
final class AlternateTitleText {

    private static final int SHOWN = 3;

    private AlternateTitleText() {
    }

    static String sample(List<String> titles) {
        String shown = String.join(", ", titles.subList(0, Math.min(SHOWN, titles.size())));
        return titles.size() > SHOWN ? shown + " and " + (titles.size() - SHOWN) + " more" : shown;
    }
}
