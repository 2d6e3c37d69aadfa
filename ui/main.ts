// The admin UI's entry point, bundled by core/server/build-ui.ts into ui/dist/app.js.
import './elements/appraise-app.ts';
