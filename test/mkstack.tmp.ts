import { buildStack } from "/work/main/test/host/stack";
buildStack({ forPrograms: true }).then((d) => console.log(d));
