import { mount } from "svelte";
import App from "./App.svelte";
import { applyDocumentLanguage } from "./lib/i18n/locale";
// One stylesheet per area, in cascade order.
import "./styles/theme.css";
import "./styles/forms.css";
import "./styles/guide.css";
import "./styles/account.css";
import "./styles/browse.css";
import "./styles/grid.css";
import "./styles/home.css";
import "./styles/library.css";
import "./styles/viewer.css";
import "./styles/downloads.css";
import "./styles/curation.css";
import "./styles/keep.css";

// lang and dir before the first paint: Arabic lays the whole window out right to left.
applyDocumentLanguage();

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

export default mount(App, { target });
